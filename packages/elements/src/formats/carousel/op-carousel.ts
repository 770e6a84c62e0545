// `<op-carousel>`: several creatives in one slot, one frame at a time. The slot's carousel candidates become the
// frames, in the decision's order, each its own creative: its own label, advertiser, landing page, render and
// viewable exposure (counted when its frame is shown, so caps apply frame by frame). It advances on its own every
// few seconds, except while the pointer is over it, the keyboard is in it, the operator paused it, or the system
// asks for reduced motion; arrows, dots and the pause button work by keyboard, and a swipe works on touch.
import type { Creative } from '@opslot/core';
import { css, html, nothing } from 'lit';
import {
  createFormatElement,
  formatStyles,
  imageOf,
  landingOf,
  OpFormatElement,
  type SafeImage,
  viewsOf,
} from '../format-element.js';
import type { FormatReporter } from '../format-reporter.js';

/** Most frames one slot shows. */
const MAX_FRAMES = 6;
/** How long a frame stays before the next one, in milliseconds. */
const ADVANCE_MS = 5000;
/** The least horizontal travel, in CSS pixels, that counts as a swipe. */
const SWIPE_PX = 40;

interface Frame {
  creative: Creative;
  image: SafeImage;
  landingUrl: string;
}

const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * @summary A carousel of creatives, each frame with the 广告 label and its advertiser.
 * @csspart creative - The link around a frame's picture.
 * @csspart image - A frame's picture.
 * @csspart arrow - The previous and next buttons.
 * @csspart dot - The buttons that go to one frame.
 * @csspart pause - The button that pauses and resumes the rotation.
 */
export class OpCarousel extends OpFormatElement {
  static override styles = [
    formatStyles,
    css`
      :host,
      .carousel,
      .frame,
      .creative,
      .creative img {
        width: 100%;
        height: 100%;
      }

      .carousel {
        position: relative;
        overflow: hidden;
        border-radius: inherit;
        touch-action: pan-y;
      }

      .frame {
        position: absolute;
        inset: 0;
        animation: op-carousel-in 0.3s ease-out;
      }

      .frame[hidden] {
        display: none;
      }

      @keyframes op-carousel-in {
        from {
          opacity: 0.2;
        }
      }

      @media (prefers-reduced-motion: reduce) {
        .frame {
          animation: none;
        }
      }

      .creative {
        display: block;
      }

      .creative img {
        object-fit: cover;
      }

      .frame .chrome {
        position: absolute;
        top: 0;
        right: 0;
        max-width: calc(100% - 88px);
        border-radius: 0 0 0 6px;
      }

      .controls {
        position: absolute;
        right: 0;
        bottom: 0;
        left: 0;
        z-index: 1;
        display: flex;
        justify-content: center;
        pointer-events: none;
      }

      .controls button,
      .arrow {
        pointer-events: auto;
      }

      .dot,
      .pause,
      .arrow {
        display: grid;
        place-items: center;
        min-width: 44px;
        min-height: 44px;
        padding: 0;
        border: 0;
        background: none;
      }

      .dot::before {
        content: '';
        width: 8px;
        height: 8px;
        background: rgb(255 255 255 / 0.7);
        border: 1px solid rgb(0 0 0 / 0.5);
        border-radius: 50%;
      }

      .dot[aria-current='true']::before {
        width: 18px;
        border-radius: 4px;
        background: #fff;
      }

      .pause,
      .arrow {
        font-size: 16px;
        color: #fff;
        text-shadow: 0 0 3px #000;
      }

      /* A dark disc keeps the arrows visible on light and dark pictures alike. */
      .arrow {
        position: absolute;
        top: 50%;
        z-index: 1;
        translate: 0 -50%;
        font-size: 24px;
        background: rgb(0 0 0 / 0.32);
        border-radius: 50%;
      }

      .previous {
        left: 0;
      }

      .next {
        right: 0;
      }
    `,
  ];

  static override properties = {
    ...OpFormatElement.properties,
    frames: { attribute: false },
    _current: { state: true },
    _playing: { state: true },
  };

  declare frames: Frame[];
  declare private _current: number;
  /** Whether the rotation runs (the operator may pause it; reduced motion starts it paused). */
  declare private _playing: boolean;
  /** Pointer over it or keyboard focus in it: the rotation waits. */
  private _held = false;
  private _timer: ReturnType<typeof setInterval> | undefined;
  private _swipeFrom: number | undefined;

  constructor() {
    super();
    this._current = 0;
    this._playing = !reducedMotion();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._timer = setInterval(() => {
      if (this._playing && !this._held && !reducedMotion() && this.frames.length > 1) this._go(1);
    }, ADVANCE_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this._timer);
  }

  protected override render() {
    const { frames } = this;
    const words = this.words;
    const several = frames.length > 1;
    return html`<div
      class="carousel"
      role="region"
      aria-roledescription=${words.carousel}
      aria-label=${words.carousel}
      @pointerenter=${() => this._hold(true)}
      @pointerleave=${() => this._hold(false)}
      @focusin=${() => this._hold(true)}
      @focusout=${(event: FocusEvent) => this._hold(this.renderRoot.contains(event.relatedTarget as Node))}
      @pointerdown=${(event: PointerEvent) => {
        this._swipeFrom = event.pointerType === 'mouse' ? undefined : event.clientX;
      }}
      @pointerup=${this._swipe}
      @keydown=${this._onKey}
    >
      <div class="frames" aria-live=${this._playing ? 'off' : 'polite'}>
        ${frames.map(
          (frame, index) => html`<div
            class="frame"
            role="group"
            aria-roledescription=${several ? 'slide' : nothing}
            aria-label=${words.slide(index + 1, frames.length)}
            ?hidden=${index !== this._current}
          >
            ${this.renderLink(
              frame.creative,
              frame.landingUrl,
              this.renderImage(frame.image, {
                onLoad: () => this._maybeShown(index),
                onError: () => this._onImageError(index),
              }),
              'creative',
              'creative',
            )}
            ${this.renderChrome(frame.creative)} ${this.renderAbout(frame.creative)}
          </div>`,
        )}
      </div>
      ${several ? this._renderControls() : nothing}
    </div>`;
  }

  private _renderControls() {
    const words = this.words;
    return html`<button class="arrow previous" part="arrow" type="button" aria-label=${words.previous} @click=${() =>
      this._go(-1)}>
        ‹
      </button>
      <button class="arrow next" part="arrow" type="button" aria-label=${words.next} @click=${() => this._go(1)}>
        ›
      </button>
      <div class="controls">
        <button
          class="pause"
          part="pause"
          type="button"
          aria-label=${this._playing ? words.pause : words.play}
          @click=${() => {
            this._playing = !this._playing;
          }}
        >
          ${this._playing ? '❚❚' : '▶'}
        </button>
        ${this.frames.map(
          (_, index) => html`<button
            class="dot"
            part="dot"
            type="button"
            aria-label=${words.slide(index + 1, this.frames.length)}
            aria-current=${index === this._current ? 'true' : 'false'}
            @click=${() => this._show(index)}
          ></button>`,
        )}
      </div>`;
  }

  private _hold(held: boolean): void {
    this._held = held;
  }

  private _go(step: number): void {
    const count = this.frames.length;
    this._show((this._current + step + count) % count);
  }

  private _show(index: number): void {
    this._current = index;
    void this.updateComplete.then(() => this._maybeShown(index));
  }

  /** A frame counts as shown once it is the current one and its picture has loaded. */
  private _maybeShown(index: number): void {
    const frame = this.frames[index];
    const element = this.renderRoot.querySelectorAll('.frame')[index];
    const image = element?.querySelector('img');
    if (!frame || index !== this._current || !image?.complete || image.naturalWidth === 0) return;
    this.report.shown(frame.creative, element as Element);
  }

  /** The first frame's picture is the slot's creative: without it the slot fails. A later one is only left out. */
  private _onImageError(index: number): void {
    const frame = this.frames[index];
    if (index === 0 || !frame) {
      this.report.fail('asset-failed', `image of ${frame?.creative.id} did not load`);
      return;
    }
    const current = this.frames[this._current];
    this.frames = this.frames.filter((_, at) => at !== index);
    this._current = Math.max(0, this.frames.indexOf(current as Frame));
  }

  private _swipe = (event: PointerEvent): void => {
    if (this._swipeFrom === undefined) return;
    const travel = event.clientX - this._swipeFrom;
    this._swipeFrom = undefined;
    if (Math.abs(travel) >= SWIPE_PX && this.frames.length > 1) this._go(travel < 0 ? 1 : -1);
  };

  private _onKey = (event: KeyboardEvent): void => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    this._go(event.key === 'ArrowRight' ? 1 : -1);
  };
}

function frameOf(creative: Creative, report: FormatReporter): Frame | undefined {
  const image = imageOf(creative.assets.image, report.session);
  const landingUrl = landingOf(creative, report.session);
  return image && landingUrl ? { creative, image, landingUrl } : undefined;
}

/**
 * The frames of the carousel candidates, `candidates[0]` first; undefined when that one cannot be shown. A later
 * candidate that cannot be shown is left out.
 */
export function create(candidates: readonly Creative[], report: FormatReporter): HTMLElement | undefined {
  const frames = viewsOf(candidates, MAX_FRAMES, (creative) => frameOf(creative, report));
  if (!frames) return undefined;
  const element = createFormatElement<OpCarousel>(
    'op-carousel',
    OpCarousel,
    report,
    'creative, image, arrow, dot, pause',
  );
  element.frames = frames;
  return element;
}

declare global {
  interface HTMLElementTagNameMap {
    'op-carousel': OpCarousel;
  }
}
