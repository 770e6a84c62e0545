// `<op-floating>`: a small card docked to a corner of the viewport (the slot's `corner` attribute), above the page in
// the top layer (a manual popover), clear of the notch and home indicator (safe-area insets), with a close control.
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

const CORNERS = ['bottom-end', 'bottom-start', 'top-end', 'top-start'] as const;

interface FloatingView {
  creative: Creative;
  image: SafeImage;
  landingUrl: string;
  title: string | undefined;
  corner: (typeof CORNERS)[number];
}

/**
 * @summary A floating creative docked to a corner, with the 广告 label and a one-click close.
 * @csspart creative - The link around the picture and title.
 * @csspart image - The picture.
 * @csspart title - The title under the picture, when the creative has one.
 * @csspart close - The close button.
 * @cssprop --op-floating-offset - Distance from the viewport's edges (added to the safe-area inset). Default 16px.
 * @cssprop --op-floating-offset-bottom - Distance from the bottom edge, to clear a page's tab bar. Default the offset.
 */
export class OpFloating extends OpFormatElement {
  static override styles = [
    formatStyles,
    css`
      :host {
        display: contents;
      }

      .dock {
        /* Clamped, so that no offset the page sets can push the card, and its label, out of the viewport. */
        --_offset: clamp(0px, var(--op-floating-offset, 16px), 40vw);
        position: fixed;
        inset: auto;
        width: min(var(--_width), calc(100vw - 2 * var(--_offset)));
        margin: 0;
        padding: 0;
        overflow: visible;
        color: var(--_text);
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
      }

      .dock[data-corner$='end'] {
        right: calc(var(--_offset) + env(safe-area-inset-right, 0px));
      }

      .dock[data-corner$='start'] {
        left: calc(var(--_offset) + env(safe-area-inset-left, 0px));
      }

      .dock[data-corner^='bottom'] {
        bottom: calc(clamp(0px, var(--op-floating-offset-bottom, var(--_offset)), 40vh) + env(safe-area-inset-bottom, 0px));
      }

      .dock[data-corner^='top'] {
        top: calc(var(--_offset) + env(safe-area-inset-top, 0px));
      }

      .creative {
        display: block;
        overflow: hidden;
        border-radius: var(--_radius) var(--_radius) 0 0;
      }

      .creative img {
        width: 100%;
      }

      .title {
        display: block;
        padding: 6px 10px 0;
        font-size: 13px;
        font-weight: 600;
      }

      .bar {
        display: flex;
        align-items: center;
        justify-content: space-between;
        padding-left: 6px;
      }
    `,
  ];

  static override properties = { ...OpFormatElement.properties, view: { attribute: false } };

  declare view: FloatingView;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('view')) this.style.setProperty('--_width', `${this.view.image.width}px`);
  }

  protected override render() {
    const { creative, image, landingUrl, title, corner } = this.view;
    return html`<div
      class="dock"
      popover="manual"
      role="region"
      aria-label=${creative.advertiser.name}
      data-corner=${corner}
    >
      ${this.renderLink(
        creative,
        landingUrl,
        html`${this.renderImage(image, {
          onLoad: this._open,
          onError: () => this.report.fail('asset-failed', `image of ${creative.id} did not load`),
        })}${title ? html`<span class="title" part="title">${title}</span>` : nothing}`,
        'creative',
        'creative',
      )}
      <div class="bar">${this.renderChrome(creative)} ${this.renderClose(creative)}</div>
      ${this.renderAbout()}
    </div>`;
  }

  private _open = (): void => {
    const dock = this.renderRoot.querySelector('.dock') as HTMLElement;
    if (!dock.matches(':popover-open')) dock.showPopover();
    this.report.shown(this.view.creative, dock);
  };
}

/** A floating card of `candidates[0]`: a picture (required), its landing page and an optional title. */
export function create(candidates: readonly Creative[], report: FormatReporter): HTMLElement | undefined {
  const creative = candidates[0];
  if (!creative) return undefined;
  const image = imageOf(creative.assets.image, report.session);
  const landingUrl = landingOf(creative, report.session);
  const title = textsOf(creative).title;
  if (!image || !landingUrl || (title !== undefined && !text(title, 60))) return undefined;
  const corner = CORNERS.find((name) => name === report.host.slot.getAttribute('corner')) ?? 'bottom-end';
  const element = createFormatElement<OpFloating>('op-floating', OpFloating, report, 'creative, image, title, close');
  element.view = { creative, image, landingUrl, title: title as string | undefined, corner };
  return element;
}

declare global {
  interface HTMLElementTagNameMap {
    'op-floating': OpFloating;
  }
}
