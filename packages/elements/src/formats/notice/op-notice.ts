// `<op-notice>`: a one-line notice bar. Text longer than the bar scrolls back and forth, stops while the pointer is
// over it or the keyboard is in it, and does not move at all under `prefers-reduced-motion` (it wraps instead).
import type { Creative } from '@opslot/core';
import { css, html, nothing } from 'lit';
import { createFormatElement, formatStyles, landingOf, OpFormatElement, text, textsOf } from '../format-element.js';
import type { FormatReporter } from '../format-reporter.js';

/** Scrolling speed of a long notice, in pixels per second: slow enough to read Chinese text comfortably. */
const SCROLL_SPEED = 40;

interface NoticeView {
  creative: Creative;
  body: string;
  cta: string | undefined;
  landingUrl: string;
}

/**
 * @summary A one-line notice bar with the 广告 label and a one-click close.
 * @csspart text - The notice's text (a link to its landing page).
 * @csspart cta - The call to action after the text, when the creative has one.
 * @csspart close - The close button.
 */
export class OpNotice extends OpFormatElement {
  static override styles = [
    formatStyles,
    css`
      .bar {
        display: flex;
        gap: 8px;
        align-items: center;
        min-height: 44px;
        padding-left: 8px;
        color: var(--_text);
        background: var(--op-notice-surface, light-dark(#fff7e6, #3a3020));
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }

      .chrome {
        flex: none;
        max-width: 40%;
      }

      .content {
        position: relative;
        z-index: 0;
        display: flex;
        flex: 1;
        gap: 8px;
        align-items: center;
        min-width: 0;
      }

      .viewport {
        flex: 1;
        min-width: 0;
        overflow: hidden;
      }

      .text {
        display: inline-block;
        min-height: 44px;
        line-height: 44px;
        white-space: nowrap;
      }

      :host([scrolling]) .text {
        animation: op-notice-scroll var(--_duration) linear 1s infinite alternate;
      }

      .bar:hover .text,
      .bar:focus-within .text {
        animation-play-state: paused;
      }

      @keyframes op-notice-scroll {
        to {
          transform: translateX(var(--_distance));
        }
      }

      /* Under reduced motion nothing moves: the whole text wraps instead, so it never overflows. */
      @media (prefers-reduced-motion: reduce) {
        .text {
          padding: 11px 0;
          line-height: 1.5;
          white-space: normal;
        }
      }

      .cta {
        flex: none;
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        font-weight: 600;
        color: var(--_accent);
      }
    `,
  ];

  static override properties = { ...OpFormatElement.properties, view: { attribute: false } };

  declare view: NoticeView;
  private _resize: ResizeObserver | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._resize?.disconnect();
  }

  protected override firstUpdated(): void {
    const viewport = this.renderRoot.querySelector('.viewport') as HTMLElement;
    this._resize = new ResizeObserver(() => this._measureOverflow(viewport));
    this._resize.observe(viewport);
    this.report.shown(this.view.creative, this.renderRoot.querySelector('.bar') as HTMLElement);
  }

  protected override render() {
    const { creative, body, cta, landingUrl } = this.view;
    // The parts sit in a stacking context of their own, below the chrome, whatever z-index the page gives them.
    return html`<div class="bar">
      ${this.renderChrome(creative)}
      <div class="content">
        <div class="viewport">${this.renderLink(creative, landingUrl, body, 'text', 'text')}</div>
        ${cta ? this.renderLink(creative, landingUrl, cta, 'cta', 'cta') : nothing} ${this.renderClose(creative)}
      </div>
      ${this.renderAbout()}
    </div>`;
  }

  /** Scrolls the text only when it is wider than the bar, by just as much as it overflows. */
  private _measureOverflow(viewport: HTMLElement): void {
    const textWidth = (viewport.firstElementChild as HTMLElement).scrollWidth;
    const overflow = textWidth - viewport.clientWidth;
    this.toggleAttribute('scrolling', overflow > 0);
    this.style.setProperty('--_distance', `${-Math.max(overflow, 0)}px`);
    this.style.setProperty('--_duration', `${Math.max(overflow / SCROLL_SPEED, 2)}s`);
  }
}

/** A notice of `candidates[0]`: one line of text (required), its landing page, an optional call to action. */
export function create(candidates: readonly Creative[], report: FormatReporter): HTMLElement | undefined {
  const creative = candidates[0];
  if (!creative) return undefined;
  const texts = textsOf(creative);
  const body = text(texts.body, 200);
  const cta = texts.cta === undefined ? undefined : text(texts.cta, 16);
  const landingUrl = landingOf(creative, report.session);
  if (!body || !landingUrl || (texts.cta !== undefined && !cta)) return undefined;
  const element = createFormatElement<OpNotice>('op-notice', OpNotice, report, 'text, cta, close');
  element.view = { creative, body, cta, landingUrl };
  return element;
}

declare global {
  interface HTMLElementTagNameMap {
    'op-notice': OpNotice;
  }
}
