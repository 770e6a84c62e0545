// `<op-popup>`: the interstitial format, a modal `<dialog>` shown when its picture has loaded. The native modal dialog
// makes the page behind it inert, so focus stays inside; Esc and a visible close button close it at once (no
// countdown), and focus goes back to where it was.
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

interface PopupView {
  creative: Creative;
  image: SafeImage;
  landingUrl: string;
  cta: string | undefined;
}

/**
 * @summary A pop-up creative in a modal dialog, with the 广告 label, a one-click close and "don't show again".
 * @csspart creative - The link around the picture.
 * @csspart image - The picture.
 * @csspart cta - The call to action under the picture, when the creative has one.
 * @csspart close - The close button.
 */
export class OpPopup extends OpFormatElement {
  static override styles = [
    formatStyles,
    css`
      :host {
        display: contents;
      }

      dialog {
        width: min(var(--_width), calc(100vw - 32px));
        max-height: calc(100dvh - 32px);
        padding: 0;
        overflow: auto;
        color: var(--_text);
        background: var(--_surface);
        border: 0;
        border-radius: var(--_radius);
        box-shadow: 0 12px 40px rgb(0 0 0 / 0.3);
      }

      dialog::backdrop {
        background: rgb(0 0 0 / 0.55);
      }

      dialog[open] {
        animation: op-popup-in 0.2s ease-out;
      }

      @keyframes op-popup-in {
        from {
          opacity: 0;
          transform: scale(0.96);
        }
      }

      @media (prefers-reduced-motion: reduce) {
        dialog[open] {
          animation: none;
        }
      }

      .body {
        position: relative;
      }

      .creative img {
        width: 100%;
      }

      .cta {
        display: flex;
        align-items: center;
        justify-content: center;
        min-height: 44px;
        margin: 12px 16px 0;
        font-size: 16px;
        font-weight: 600;
        color: var(--_on-accent);
        background: var(--_accent);
        border-radius: 22px;
      }

      .bar {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
        padding: 4px 4px 4px 12px;
      }

      .dont-show {
        min-height: 44px;
        padding: 0 8px;
        border: 0;
        font-size: 13px;
        color: var(--_muted);
        background: none;
      }

      .chrome {
        position: absolute;
        top: 8px;
        left: 8px;
        max-width: calc(100% - 16px);
      }
    `,
  ];

  static override properties = { ...OpFormatElement.properties, view: { attribute: false } };

  declare view: PopupView;
  /** Whether the operator asked not to see it again; read when the dialog closes. */
  private _dontShowAgain = false;
  /** Where the focus was before the dialog opened, to give it back. */
  private _returnFocusTo: HTMLElement | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('view')) this.style.setProperty('--_width', `${this.view.image.width}px`);
  }

  protected override render() {
    const { creative, image, landingUrl, cta } = this.view;
    return html`<dialog aria-label=${creative.advertiser.name} @close=${this._onDialogClose}>
      <div class="body">
        ${this.renderLink(
          creative,
          landingUrl,
          this.renderImage(image, {
            onLoad: this._open,
            onError: () => this.report.fail('asset-failed', `image of ${creative.id} did not load`),
          }),
          'creative',
          'creative',
        )}
        ${cta ? this.renderLink(creative, landingUrl, cta, 'cta', 'cta') : nothing}
        <div class="bar">
          <button class="dont-show" type="button" @click=${() => this.close(creative, true)}>
            ${this.words.dontShowAgain}
          </button>
          ${this.renderClose(creative)}
        </div>
        ${this.renderChrome(creative)} ${this.renderAbout()}
      </div>
    </dialog>`;
  }

  private get _dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog') as HTMLDialogElement;
  }

  private _open = (): void => {
    if (this._dialog.open) return;
    this._returnFocusTo = deepActiveElement();
    this._dialog.showModal();
    // The close control takes the focus, so that one key (Enter or Esc) gets the operator out.
    this.renderRoot.querySelector<HTMLElement>('.close')?.focus();
    this.report.shown(this.view.creative, this._dialog);
  };

  /** The buttons close the dialog; its `close` event (which Esc fires too) reports to the slot. */
  protected override close(_creative: Creative, dontShowAgain = false): void {
    this._dontShowAgain = dontShowAgain;
    this._dialog.close();
  }

  private _onDialogClose = (): void => {
    this._returnFocusTo?.focus();
    this.report.close(this.view.creative, this._dontShowAgain);
  };
}

/** The focused element, looking into shadow roots (a bank page's own components have them too). */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : undefined;
}

/** A pop-up of `candidates[0]`: a picture (required), its landing page, and an optional call to action. */
export function create(candidates: readonly Creative[], report: FormatReporter): HTMLElement | undefined {
  const creative = candidates[0];
  if (!creative) return undefined;
  const image = imageOf(creative.assets.image, report.session);
  const landingUrl = landingOf(creative, report.session);
  const cta = textsOf(creative).cta;
  if (!image || !landingUrl || (cta !== undefined && !text(cta, 16))) return undefined;
  const element = createFormatElement<OpPopup>('op-popup', OpPopup, report, 'creative, image, cta, close');
  element.view = { creative, image, landingUrl, cta: cta as string | undefined };
  return element;
}

declare global {
  interface HTMLElementTagNameMap {
    'op-popup': OpPopup;
  }
}
