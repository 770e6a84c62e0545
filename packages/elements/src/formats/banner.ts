import { html, type TemplateResult } from 'lit';
import type { Messages } from '../messages.js';

export interface BannerView {
  imageSrc: string;
  /** The 2x and 3x copies as a `srcset` (with the 1x one in `src`), or empty, which browsers ignore. */
  srcset: string;
  width: number;
  height: number;
  alt: string;
  landingUrl: string;
}

export interface BannerHandlers {
  onLoad: () => void;
  onError: () => void;
  onClick: (event: MouseEvent) => void;
}

/**
 * A banner: one image that links to the landing page in a new tab. The link carries
 * `rel="noopener noreferrer"` so the landing page can neither script the bank's window nor learn its URL.
 * Every value goes through Lit bindings, so nothing from a decision can become markup.
 */
export function renderBanner(view: BannerView, messages: Messages, handlers: BannerHandlers): TemplateResult {
  return html`<a
    class="creative"
    part="creative"
    href=${view.landingUrl}
    target="_blank"
    rel="noopener noreferrer"
    aria-label=${`${view.alt}${messages.opensInNewTab}`}
    @click=${handlers.onClick}
    ><img
      part="image"
      src=${view.imageSrc}
      srcset=${view.srcset}
      alt=${view.alt}
      width=${view.width}
      height=${view.height}
      decoding="async"
      @load=${handlers.onLoad}
      @error=${handlers.onError}
    /></a
  >`;
}
