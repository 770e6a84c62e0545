// The base of every lazily loaded format element: the compliance chrome (the 广告 label, the advertiser's name, the
// ⓘ "about this content" panel), links that report to the slot, close controls, and the theme. It sits in a chunk that
// the format chunks share, so a page showing two formats loads it once.
import type { Creative } from '@opslot/core';
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import type { FormatReporter } from './format-reporter.js';
import { type FormatWords, formatWords } from './format-words.js';
import type { SafeImage } from './read-assets.js';

// What a format's module needs besides the element: the asset checks, from the same chunk.
export { imageOf, landingOf, type SafeImage, text, textsOf } from './read-assets.js';

/**
 * The theme of every format. Public `--op-*` custom properties map to private `--_*` ones with light and dark
 * defaults (`light-dark()` follows the page's `color-scheme`). The chrome takes none of them but the font family:
 * no custom property reaches its size, colours, display, visibility or opacity.
 *
 * @cssprop --op-surface - Background of cards, bars and dialogs. Default #fff / #1f2329 (dark).
 * @cssprop --op-text - Text colour. Default #1f2329 / #e8eaed.
 * @cssprop --op-text-muted - Secondary text (subtitles, times). Default #5c6370 / #a8adb7.
 * @cssprop --op-accent - Calls to action and the active carousel dot. Default #c7000b / #ff8a80.
 * @cssprop --op-on-accent - Text on the accent colour. Default #fff / #1f2329.
 * @cssprop --op-border - Hairlines between cards and around bars. Default #e3e5e8 / #3a3f47.
 * @cssprop --op-radius - Corner radius of cards and dialogs. Default 8px.
 * @cssprop --op-font-family - Font family, Chinese UI fonts first by default.
 * @cssprop --op-focus-ring - Keyboard focus ring. Default #1a56db / #8ab4f8.
 */
export const formatStyles = css`
  :host {
    --_surface: var(--op-surface, light-dark(#fff, #1f2329));
    --_text: var(--op-text, light-dark(#1f2329, #e8eaed));
    --_muted: var(--op-text-muted, light-dark(#5c6370, #a8adb7));
    --_accent: var(--op-accent, light-dark(#c7000b, #ff8a80));
    --_on-accent: var(--op-on-accent, light-dark(#fff, #1f2329));
    --_border: var(--op-border, light-dark(#e3e5e8, #3a3f47));
    --_radius: var(--op-radius, 8px);
    --_focus: var(--op-focus-ring, light-dark(#1a56db, #8ab4f8));
    display: block;
    position: relative;
    box-sizing: border-box;
    min-width: 0;
    font: 14px/1.5 var(--op-font-family, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', system-ui, sans-serif);
    color: var(--_text);
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }

  a {
    color: inherit;
    text-decoration: none;
  }

  img {
    display: block;
    max-width: 100%;
    height: auto;
  }

  /* The compliance chrome. It comes last in its container and stacks above everything, so no part restyled by the
     page can cover it; it is no part itself, nor inside one (a part's clip-path or visibility would reach it), and
     its looks take no custom property. */
  .chrome {
    position: relative;
    z-index: 2147483647;
    display: inline-flex;
    gap: 4px;
    align-items: center;
    max-width: 100%;
    min-width: 0;
    padding: 0 0 0 6px;
    font-size: 12px;
    font-weight: 400;
    line-height: 20px;
    color: #fff;
    background: rgb(0 0 0 / 0.66);
    border-radius: 4px;
    visibility: visible;
    opacity: 1;
    pointer-events: auto;
  }

  .label {
    flex: none;
    font-weight: 600;
  }

  .advertiser {
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }

  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }

  /* Small to the eye, 44 px to the finger: the hit area extends beyond the glyph. */
  .about {
    position: relative;
    flex: none;
    width: 24px;
    height: 20px;
    padding: 0;
    border: 0;
    background: none;
  }

  .about::after {
    content: '';
    position: absolute;
    inset: -12px -10px;
  }

  .close {
    flex: none;
    min-width: 44px;
    min-height: 44px;
    padding: 0;
    border: 0;
    font-size: 22px;
    line-height: 1;
    color: var(--_text);
    background: none;
  }

  .below-chrome {
    position: relative;
    z-index: 0;
    display: inline-flex;
  }

  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/**
 * A format element. Its module creates it with the creatives to show and the {@link FormatReporter} that reports
 * them to the slot.
 */
export abstract class OpFormatElement extends LitElement {
  static override properties = { _aboutFor: { state: true } };

  /** Measures and reports this element's creatives to its slot; set before it connects. */
  declare report: FormatReporter;
  /** The creative whose "about this content" panel is open. */
  declare protected _aboutFor: Creative | undefined;
  /** The ⓘ button that opened the panel, which takes the focus back when it closes. */
  private _aboutOpener: HTMLElement | undefined;

  protected get words(): FormatWords {
    return formatWords(this.report.messages.locale);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.report.resume();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.report.stop();
  }

  /** The 广告 label, the advertiser's name and the ⓘ button, for `creative`. */
  protected renderChrome(creative: Creative): TemplateResult {
    const { messages } = this.report;
    return html`<div class="chrome">
      <span class="label">${messages.adLabel}</span>
      ${creative.preview ? html`<span class="label">${messages.previewLabel}</span>` : nothing}
      <span class="advertiser">${creative.advertiser.name}</span>
      <button
        class="about"
        type="button"
        aria-label=${`${messages.aboutThisContent}: ${creative.advertiser.name}`}
        aria-expanded=${this._aboutFor === creative ? 'true' : 'false'}
        @click=${(event: Event) => this._toggleAbout(creative, event.currentTarget as HTMLElement)}
      >
        ⓘ
      </button>
    </div>`;
  }

  /** The "about this content" panel, when open; it covers its nearest positioned container. */
  protected renderAbout(creative?: Creative): TemplateResult | typeof nothing {
    const shown = this._aboutFor;
    if (!shown || (creative && creative !== shown)) return nothing;
    return html`<op-slot-about
      .creative=${shown}
      .session=${this.report.session}
      locale=${this.report.messages.locale}
      @op-about-close=${this._closeAbout}
    ></op-slot-about>`;
  }

  /**
   * A creative's picture, exported as `::part(image)`. `onLoad` tells the format it is on screen; `onError`, that it
   * cannot be shown.
   */
  protected renderImage(
    image: SafeImage,
    { onLoad, onError, className }: { onLoad?: () => void; onError?: () => void; className?: string } = {},
  ): TemplateResult {
    return html`<img
      class=${className || nothing}
      part="image"
      src=${image.src}
      srcset=${image.srcset || nothing}
      alt=${image.alt}
      width=${image.width}
      height=${image.height}
      @load=${onLoad}
      @error=${onError}
    />`;
  }

  /** A link to the creative's landing page; the slot measures the click and lets the page take it over. */
  protected renderLink(
    creative: Creative,
    url: string,
    content: TemplateResult | string,
    className: string,
    part: string,
  ): TemplateResult {
    return html`<a
      class=${className}
      part=${part}
      href=${url}
      target="_blank"
      rel="noopener noreferrer"
      @click=${(event: MouseEvent) => this.report.click(event, creative, url)}
      >${content}<span class="sr">${this.report.messages.opensInNewTab}</span></a
    >`;
  }

  /**
   * A visible one-click close control: no countdown, no decoy. It sits in a stacking context of its own below the
   * chrome, so that the page restyling `::part(close)` cannot lift it over the label.
   */
  protected renderClose(creative: Creative): TemplateResult {
    return html`<span class="below-chrome"><button class="close" part="close" type="button" aria-label=${this.words.close} @click=${() =>
      this.close(creative)}>
      ×
    </button></span>`;
  }

  /** Closes `creative` for the slot; formats that need more (a dialog's own close) override it. */
  protected close(creative: Creative, dontShowAgain = false): void {
    this.report.close(creative, dontShowAgain);
  }

  private async _toggleAbout(creative: Creative, opener: HTMLElement): Promise<void> {
    if (this._aboutFor === creative) {
      this._closeAbout();
      return;
    }
    // The panel's code loads on first use, as it does for a banner.
    await import('../op-slot/op-slot-about.js');
    this._aboutOpener = opener;
    this._aboutFor = creative;
  }

  private _closeAbout = (): void => {
    this._aboutFor = undefined;
    const opener = this._aboutOpener;
    void this.updateComplete.then(() => opener?.focus());
  };
}

/**
 * Registers a format element, tolerating a second copy of the SDK on the page (the first definition wins), and
 * creates one that reports through `report`, with the parts it exports to the page (`op-slot::part(…)`).
 */
export function createFormatElement<T extends OpFormatElement>(
  tag: string,
  elementClass: CustomElementConstructor,
  report: FormatReporter,
  parts: string,
): T {
  if (!customElements.get(tag)) customElements.define(tag, elementClass);
  const element = document.createElement(tag) as T;
  element.report = report;
  element.setAttribute('exportparts', parts);
  return element;
}

/**
 * The views of a format that shows several creatives (carousel frames, list cards): `candidates[0]`'s first, then
 * those of the candidates of the same format after it, at most `max`; undefined when `candidates[0]` cannot be shown.
 * A later candidate that cannot be shown is left out.
 */
export function viewsOf<View>(
  candidates: readonly Creative[],
  max: number,
  viewOf: (creative: Creative) => View | undefined,
): View[] | undefined {
  const [first, ...rest] = candidates;
  const firstView = first && viewOf(first);
  if (!first || !firstView) return undefined;
  const views = [firstView];
  for (const creative of rest) {
    const view = creative.format === first.format && views.length < max && viewOf(creative);
    if (view) views.push(view);
  }
  return views;
}
