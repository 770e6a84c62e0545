// `<op-slot-about>`: the "about this content" panel a slot opens from its ⓘ button — why the operator sees the
// creative, who placed it, and a switch to non-personalised content (PIPL Art. 24). This module, the button's toggle
// included, is loaded the first time an operator opens a panel, so pages pay for it only then; it defines its element
// when it loads.
import type { Creative, Opslot } from '@opslot/core';
import { css, html, LitElement } from 'lit';
import type { MessagesLocale } from '../messages.js';
import { setPersonalized } from '../slot-actions.js';

const WORDS = {
  'zh-CN': {
    title: '关于此内容',
    why: '推荐原因',
    advertiser: '广告主',
    turnOff: '关闭个性化推荐',
    turnOn: '开启个性化推荐',
    offNote: '已关闭个性化推荐：只展示不基于您个人信息的内容。',
    close: '关闭',
  },
  en: {
    title: 'About this content',
    why: 'Why you see this',
    advertiser: 'Advertiser',
    turnOff: 'Turn off personalised content',
    turnOn: 'Turn on personalised content',
    offNote: 'Personalised content is off: you see only content not based on your personal information.',
    close: 'Close',
  },
} as const;

/**
 * @summary The "about this content" panel of an `<op-slot>`.
 * @event op-about-close - The operator closed the panel (its close button or Esc).
 */
export class OpSlotAbout extends LitElement {
  static override styles = css`
    :host {
      position: absolute;
      inset: 0;
      z-index: 2;
      overflow: auto;
      padding: 12px 14px;
      font: 13px/1.5 var(--op-slot-font, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', system-ui, sans-serif);
      color: #1f2329;
      background: rgb(255 255 255 / 0.97);
    }

    p {
      margin: 0 0 6px;
    }

    .title,
    .term {
      font-weight: 600;
    }

    .term {
      margin-inline-end: 6px;
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }

    button {
      min-height: 32px;
      padding: 4px 12px;
      border: 1px solid #8a919f;
      border-radius: 6px;
      font: inherit;
      color: inherit;
      background: #fff;
      cursor: pointer;
    }

    button:focus-visible {
      outline: 3px solid var(--op-slot-focus-ring, #1a56db);
      outline-offset: 1px;
    }
  `;

  static override properties = {
    creative: { attribute: false },
    session: { attribute: false },
    locale: {},
  };

  declare creative: Creative | undefined;
  declare session: Opslot | undefined;
  declare locale: MessagesLocale;

  constructor() {
    super();
    this.locale = 'zh-CN';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'dialog');
    this.addEventListener('keydown', this._closeOnEscape);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this._closeOnEscape);
  }

  protected override firstUpdated(): void {
    // Opened from a button, the panel takes the focus so that keyboard and screen-reader users land in it.
    this.renderRoot.querySelector('button')?.focus();
  }

  protected override render() {
    const { creative, session } = this;
    if (!creative || !session) return null;
    const words = WORDS[this.locale];
    this.setAttribute('aria-label', words.title);
    const personalized = session.config?.personalized !== false;
    return html`<p class="title">${words.title}</p>
      <p><span class="term">${words.why}</span>${creative.reason}</p>
      <p><span class="term">${words.advertiser}</span>${creative.advertiser.name}</p>
      ${personalized ? null : html`<p>${words.offNote}</p>`}
      <div class="actions">
        <button type="button" @click=${() => setPersonalized(!personalized, session)}>
          ${personalized ? words.turnOff : words.turnOn}
        </button>
        <button type="button" @click=${this._close}>${words.close}</button>
      </div>`;
  }

  private _closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this._close();
  };

  private _close = () => {
    this.dispatchEvent(new Event('op-about-close', { bubbles: true, composed: true }));
  };
}

/**
 * What the slot's ⓘ `button` does: opens the panel about `creative` right after the slot's chrome (the button's
 * parent), or closes the one open there. The button's `aria-expanded` says which; on close the focus goes back to
 * the button, as for any dialog. The panel needs no closing when the slot shows something else: the slot renders a
 * new frame, the panel's parent, from scratch.
 */
export function toggleAbout(button: HTMLElement, creative: Creative, session: Opslot, locale: MessagesLocale): void {
  const chrome = button.parentElement as HTMLElement;
  const open = chrome.nextElementSibling;
  const setExpanded = (expanded: boolean) => button.setAttribute('aria-expanded', String(expanded));
  if (open?.localName === 'op-slot-about') {
    open.remove();
    setExpanded(false);
    button.focus();
    return;
  }
  // By its tag, not its class: a second copy of the SDK on the page may have defined the element first.
  const panel = document.createElement('op-slot-about');
  panel.creative = creative;
  panel.session = session;
  panel.locale = locale;
  panel.addEventListener('op-about-close', () => toggleAbout(button, creative, session, locale));
  chrome.after(panel);
  setExpanded(true);
}

if (!customElements.get('op-slot-about')) customElements.define('op-slot-about', OpSlotAbout);

declare global {
  interface HTMLElementTagNameMap {
    'op-slot-about': OpSlotAbout;
  }
}
