// `<op-native>`: the template creative the partner studio makes — logo, title, subtitle, call to action in the brand
// colour — rendered from fields, never from markup, in the bank's own look.
import type { Creative } from '@opslot/core';
import { css, html, nothing, type PropertyValues } from 'lit';
import {
  createFormatElement,
  formatStyles,
  imageOf,
  landingOf,
  OpFormatElement,
  type SafeImage,
  text,
  textsOf,
} from '../format-element.js';
import type { FormatReporter } from '../format-reporter.js';

interface NativeView {
  creative: Creative;
  logo: SafeImage;
  title: string;
  subtitle: string | undefined;
  cta: string;
  brandColor: string;
  landingUrl: string;
}

/**
 * @summary A native creative: logo, title, subtitle and a call to action in the advertiser's brand colour.
 * @csspart card - The card's content row (logo, texts, call to action); the label sits outside it.
 * @csspart logo - The logo.
 * @csspart title - The title.
 * @csspart subtitle - The subtitle.
 * @csspart cta - The call to action.
 */
export class OpNative extends OpFormatElement {
  static override styles = [
    formatStyles,
    css`
      :host {
        padding: 12px;
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }

      .card {
        display: flex;
        gap: 12px;
        align-items: center;
        min-width: 0;
      }

      .logo {
        flex: none;
        width: 48px;
        height: 48px;
        object-fit: contain;
        border-radius: 8px;
      }

      .texts {
        flex: 1;
        min-width: 0;
      }

      .title {
        margin: 0;
        overflow: hidden;
        font-size: 16px;
        font-weight: 600;
        white-space: nowrap;
        text-overflow: ellipsis;
      }

      .subtitle {
        margin: 2px 0 0;
        overflow: hidden;
        font-size: 13px;
        color: var(--_muted);
        white-space: nowrap;
        text-overflow: ellipsis;
      }

      .cta {
        display: inline-flex;
        flex: none;
        align-items: center;
        min-height: 44px;
        padding: 0 16px;
        font-weight: 600;
        color: var(--_on-brand);
        background: var(--_brand);
        border-radius: 22px;
      }

      .chrome {
        margin-top: 8px;
      }

      @media (max-width: 359px) {
        .card {
          flex-wrap: wrap;
        }
      }
    `,
  ];

  static override properties = { ...OpFormatElement.properties, view: { attribute: false } };

  declare view: NativeView;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('view')) return;
    // Through the CSSOM, which a strict style-src allows, unlike a style attribute.
    this.style.setProperty('--_brand', this.view.brandColor);
    this.style.setProperty('--_on-brand', readableOn(this.view.brandColor));
  }

  protected override firstUpdated(): void {
    const logo = this.renderRoot.querySelector('img') as HTMLImageElement;
    const shown = () => this.report.shown(this.view.creative, this);
    if (logo.complete && logo.naturalWidth > 0) shown();
    else logo.addEventListener('load', shown, { once: true });
  }

  protected override render() {
    const { creative, logo, title, subtitle, cta, landingUrl } = this.view;
    return html`<div class="card" part="card">
        <img
          class="logo"
          part="logo"
          src=${logo.src}
          srcset=${logo.srcset || nothing}
          alt=${logo.alt}
          width=${logo.width}
          height=${logo.height}
          @error=${() => this.report.fail('asset-failed', `logo of ${creative.id} did not load`)}
        />
        <div class="texts">
          <p class="title" part="title">${title}</p>
          ${subtitle ? html`<p class="subtitle" part="subtitle">${subtitle}</p>` : nothing}
        </div>
        ${this.renderLink(creative, landingUrl, cta, 'cta', 'cta')}
      </div>
      ${this.renderChrome(creative)} ${this.renderAbout()}`;
  }
}

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function readableOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((start) => {
    const channel = Number.parseInt(hex.slice(start, start + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with white is 1.05 / (L + 0.05), with black (L + 0.05) / 0.05; they are equal at L ≈ 0.179.
  return luminance > 0.179 ? '#000' : '#fff';
}

/** A native card of `candidates[0]`: logo, title and call to action, brand colour, optional subtitle. */
export function create(candidates: readonly Creative[], report: FormatReporter): HTMLElement | undefined {
  const creative = candidates[0];
  if (!creative) return undefined;
  const texts = textsOf(creative);
  const logo = imageOf(creative.assets.logo, report.session);
  const title = text(texts.title, 60);
  const subtitle = texts.subtitle === undefined ? undefined : text(texts.subtitle, 60);
  const cta = text(texts.cta, 16);
  const brandColor = creative.assets.brandColor;
  const landingUrl = landingOf(creative, report.session);
  const colourOk = typeof brandColor === 'string' && /^#[0-9a-f]{6}$/i.test(brandColor);
  if (!logo || !title || !cta || !landingUrl || !colourOk || (texts.subtitle !== undefined && !subtitle)) {
    return undefined;
  }
  const element = createFormatElement<OpNative>('op-native', OpNative, report, 'card, logo, title, subtitle, cta');
  element.view = { creative, logo, title, subtitle, cta, brandColor, landingUrl };
  return element;
}

declare global {
  interface HTMLElementTagNameMap {
    'op-native': OpNative;
  }
}
