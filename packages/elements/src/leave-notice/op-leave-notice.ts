// `<op-leave-notice>`: the leave-the-bank notice (issue 6, compliance chrome). A click whose landing page lies
// outside the bank's own domains first names the destination and the advertiser, so that an operator of a
// corporate account knows that the next page is not the bank's. This module is loaded on such a click only; it
// defines its element when it loads.
import { css, html, LitElement } from 'lit';
import type { MessagesLocale } from '../messages.js';

const WORDS = {
  'zh-CN': {
    title: '即将离开本行网站',
    body: (advertiser: string) =>
      `此内容由「${advertiser}」提供，您将前往以下第三方网站。该网站不由本行运营，请注意保护个人信息与资金安全。`,
    destination: '目标网站',
    continue: '继续前往',
    cancel: '取消',
  },
  en: {
    title: "You are leaving the bank's website",
    body: (advertiser: string) =>
      `This content is provided by ${advertiser}. The site below is not operated by the bank; take care of your personal information and funds.`,
    destination: 'Destination',
    continue: 'Continue',
    cancel: 'Cancel',
  },
} as const;

/**
 * @summary The leave-the-bank notice: a modal dialog naming the destination host and the advertiser, with continue
 * and cancel. Esc cancels; focus goes back to where it was either way.
 * @csspart dialog - The dialog box.
 * @cssprop --op-leave-notice-accent - Background of the continue button; default the bank blue `#1a56db`.
 */
export class OpLeaveNotice extends LitElement {
  static override properties = {
    destination: {},
    advertiser: {},
    locale: {},
  };

  static override styles = css`
    :host {
      display: contents;
      --_accent: var(--op-leave-notice-accent, #1a56db);
    }

    dialog {
      box-sizing: border-box;
      width: min(420px, calc(100vw - 32px));
      padding: 20px 20px 16px;
      font: 14px/1.6 var(--op-slot-font, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', system-ui, sans-serif);
      color: #1f2329;
      background: #fff;
      border: 0;
      border-radius: 8px;
      box-shadow: 0 12px 40px rgb(0 0 0 / 0.3);
    }

    dialog::backdrop {
      background: rgb(0 0 0 / 0.55);
    }

    h2 {
      margin: 0 0 8px;
      font-size: 16px;
    }

    p {
      margin: 0 0 12px;
    }

    .destination {
      padding: 8px 10px;
      overflow-wrap: anywhere;
      background: #f2f3f5;
      border-radius: 4px;
    }

    .term {
      margin-inline-end: 6px;
      color: #4e5969;
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: 8px;
    }

    button {
      min-width: 88px;
      min-height: 44px;
      padding: 0 16px;
      font: inherit;
      color: #1f2329;
      background: #fff;
      border: 1px solid #c9cdd4;
      border-radius: 4px;
      cursor: pointer;
    }

    .continue {
      color: #fff;
      background: var(--_accent);
      border-color: var(--_accent);
    }

    button:focus-visible {
      outline: 3px solid var(--op-slot-focus-ring, #1a56db);
      outline-offset: 2px;
    }
  `;

  /** The landing page's host, as the operator will see it in the address bar. */
  declare destination: string;
  declare advertiser: string;
  declare locale: MessagesLocale;
  private _answer: ((goOn: boolean) => void) | undefined;
  private _returnFocusTo: HTMLElement | undefined;

  constructor() {
    super();
    this.destination = '';
    this.advertiser = '';
    this.locale = 'zh-CN';
  }

  /**
   * Shows the notice, modal, once the element is in the document. Resolves true when the operator continues, false
   * when they cancel (the button or Esc); the element then leaves the document.
   */
  ask(): Promise<boolean> {
    this._returnFocusTo = deepActiveElement();
    return new Promise((resolve) => {
      this._answer = resolve;
      void this.updateComplete.then(() => {
        this._dialog?.showModal();
        // Cancel takes the focus: Enter or Esc straight away keeps the operator in the bank.
        this.renderRoot.querySelector<HTMLElement>('.cancel')?.focus();
      });
    });
  }

  protected override render() {
    const words = WORDS[this.locale];
    return html`<dialog part="dialog" aria-labelledby="title" aria-describedby="body" @close=${() => this._finish(false)}>
      <h2 id="title">${words.title}</h2>
      <p id="body">${words.body(this.advertiser)}</p>
      <p class="destination"><span class="term">${words.destination}</span><strong>${this.destination}</strong></p>
      <div class="actions">
        <button class="cancel" type="button" @click=${() => this._finish(false)}>${words.cancel}</button>
        <button class="continue" type="button" @click=${() => this._finish(true)}>${words.continue}</button>
      </div>
    </dialog>`;
  }

  private get _dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  /** Answers once: the dialog's `close` event (Esc, or the close below) comes after a button has answered. */
  private _finish(goOn: boolean): void {
    const answer = this._answer;
    if (!answer) return;
    this._answer = undefined;
    this._dialog?.close();
    this.remove();
    this._returnFocusTo?.focus();
    answer(goOn);
  }
}

/** The focused element, looking into shadow roots: the creative's link sits in the slot's. */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : undefined;
}

if (!customElements.get('op-leave-notice')) customElements.define('op-leave-notice', OpLeaveNotice);

declare global {
  interface HTMLElementTagNameMap {
    'op-leave-notice': OpLeaveNotice;
  }
}
