import type { Creative, Opslot, Size, SlotOutcome } from '@opslot/core';
import { FORMATS } from '@opslot/core';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { type BannerView, renderBanner } from '../formats/banner.js';
import { messagesFor } from '../messages.js';
import { pageSession } from '../page-session.js';
import { parseSlotSize } from '../slot-size.js';
import type { OpErrorDetail, OpRenderDetail } from './op-slot.events.js';
import { opSlotStyles } from './op-slot.styles.js';

export const SLOT_STATES = {
  idle: 'idle',
  loading: 'loading',
  rendered: 'rendered',
  empty: 'empty',
  error: 'error',
} as const;
export type SlotState = (typeof SLOT_STATES)[keyof typeof SLOT_STATES];

interface Shown {
  decisionId: string;
  creative: Creative;
  view: BannerView;
}

/**
 * An operation slot. The decision endpoint chooses what it shows; the page only names the slot and,
 * optionally, the space to reserve.
 *
 * @summary Shows the creative a decision chose for this slot, with the "广告" label and the advertiser's name.
 *
 * @attr slot-id - The slot's id in the bank's slot catalogue. Required.
 * @attr size - The space to reserve, `WIDTHxHEIGHT` in CSS pixels (e.g. `960x240`); the slot keeps that ratio
 *   and shrinks with its container. Falls back to the configuration's slot catalogue.
 * @attr state - Reflected: `loading`, `rendered`, `empty` or `error`. Empty and error slots collapse, whatever
 *   the page's CSS says about `op-slot`.
 *
 * @event op-render - The creative is shown. Detail: {@link OpRenderDetail}.
 * @event op-empty - Nothing to show; the slot collapses.
 * @event op-viewable - A viewable exposure was counted.
 * @event op-click - The operator clicked the creative.
 * @event op-error - The slot could not show anything and collapsed. Detail: {@link OpErrorDetail}.
 *
 * @csspart creative - The link around the creative.
 * @csspart image - The creative's image.
 *
 * @cssprop --op-slot-radius - Corner radius of the slot. Default 8px.
 * @cssprop --op-slot-placeholder - Background of the reserved box while the creative loads. Default transparent.
 * @cssprop --op-slot-focus-ring - Colour of the keyboard focus ring. Default #1a56db.
 * @cssprop --op-slot-font - Font of the label.
 */
export class OpSlot extends LitElement {
  static override styles = opSlotStyles;

  static override properties = {
    slotId: { attribute: 'slot-id' },
    size: {},
    state: { reflect: true },
    _shown: { state: true },
  };

  declare slotId: string | null;
  declare size: string | null;
  declare state: SlotState;
  declare private _shown: Shown | undefined;

  /** The session this slot asks and reports through; the page-wide one unless set before connecting. */
  session: Opslot | undefined;

  private _abort: AbortController | undefined;
  private _stopViewability: (() => void) | undefined;

  constructor() {
    super();
    this.slotId = null;
    this.size = null;
    this.state = SLOT_STATES.idle;
    this._shown = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._decide();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A slot taken out of the page (a route change in a single-page app) stops asking and measuring;
    // put back, it asks for a fresh decision.
    this._abort?.abort();
    this._abort = undefined;
    this._stopMeasuring();
    this._shown = undefined;
    this.state = SLOT_STATES.idle;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('size') || changed.has('slotId')) this._reserveSpace();
    if (changed.has('state')) this._collapseWhenEmpty();
  }

  protected override render() {
    const shown = this._shown;
    if (!shown) return nothing;
    const messages = messagesFor(this._locale());
    return html`<div class="frame">
      <div class="chrome">
        <span class="label">${messages.adLabel}</span>
        <span class="advertiser">${shown.creative.advertiser.name}</span>
      </div>
      ${renderBanner(shown.view, messages, {
        onLoad: () => this._onImageLoad(shown),
        onError: () => this._fail('asset-failed', `the image of creative ${shown.creative.id} did not load`),
        onClick: (event) => this._onClick(event, shown),
      })}
    </div>`;
  }

  private get _session(): Opslot {
    this.session ??= pageSession();
    return this.session;
  }

  private _reservedSize(): Size | undefined {
    return parseSlotSize(this.size) ?? (this.slotId ? this._session.config?.slots[this.slotId]?.size : undefined);
  }

  private _reserveSpace(): void {
    const size = this._reservedSize();
    if (size) {
      this.style.setProperty('--_reserved-width', `${size[0]}px`);
      this.style.setProperty('--_reserved-ratio', `${size[0]} / ${size[1]}`);
    } else {
      this.style.removeProperty('--_reserved-width');
      this.style.removeProperty('--_reserved-ratio');
    }
  }

  /**
   * An empty or failed slot gives its space back. The page's own CSS for `op-slot` (say `display: block`) would
   * win over a `:host` rule, so the collapse is an inline style, as ad tags' collapse-empty-slots does.
   */
  private _collapseWhenEmpty(): void {
    if (this.state === SLOT_STATES.empty || this.state === SLOT_STATES.error) {
      this.style.setProperty('display', 'none', 'important');
    } else {
      this.style.removeProperty('display');
    }
  }

  private _locale(): string | undefined {
    return this.closest('[lang]')?.getAttribute('lang') ?? this.session?.config?.locale;
  }

  private async _decide(): Promise<void> {
    const slotId = this.slotId;
    if (!slotId) {
      this._fail('missing-slot-id', 'op-slot needs a slot-id attribute');
      return;
    }
    this._abort?.abort();
    const abort = new AbortController();
    this._abort = abort;
    this.state = SLOT_STATES.loading;
    const size = this._reservedSize();
    const outcome = await this._session.decide(
      { id: slotId, sizes: size ? [size] : [], formats: [...FORMATS] },
      abort.signal,
    );
    if (abort.signal.aborted) return;
    this._settle(slotId, outcome);
  }

  private _settle(slotId: string, outcome: SlotOutcome): void {
    if (outcome.kind === 'error') {
      this._fail(outcome.code, outcome.message);
      return;
    }
    if (outcome.kind === 'empty') {
      this.state = SLOT_STATES.empty;
      this._emit('op-empty', { slotId, decisionId: outcome.decisionId });
      return;
    }
    // The server orders candidates by preference; the first one the browser can show safely wins.
    for (const creative of outcome.candidates) {
      const view = this._bannerView(creative);
      if (view) {
        this._shown = { decisionId: outcome.decisionId, creative, view };
        return;
      }
    }
    this._fail('unsafe-creative', `no candidate for ${slotId} had a safe image and landing URL`);
  }

  private _bannerView(creative: Creative): BannerView | undefined {
    const image = creative.assets.image;
    if (!image) return undefined;
    const imageSrc = this._session.resolveUrl(image.src);
    const landingUrl = this._session.resolveUrl(creative.landingUrl);
    if (!imageSrc || !landingUrl) return undefined;
    return {
      imageSrc: imageSrc.href,
      landingUrl: landingUrl.href,
      width: image.width,
      height: image.height,
      alt: image.alt,
    };
  }

  private _detail(shown: Shown): OpRenderDetail {
    return {
      slotId: this.slotId ?? '',
      decisionId: shown.decisionId,
      creativeId: shown.creative.id,
      campaignId: shown.creative.campaignId,
      advertiserId: shown.creative.advertiser.id,
    };
  }

  private _onImageLoad(shown: Shown): void {
    if (this._shown !== shown || this.state === SLOT_STATES.rendered) return;
    this.state = SLOT_STATES.rendered;
    const detail = this._detail(shown);
    this._track('render', detail);
    this._emit('op-render', detail);
    this._stopViewability = this._session.observeViewability(this, (method) => {
      this._track('viewable', detail, method);
      this._emit('op-viewable', { ...detail, method });
    });
  }

  private _onClick(event: MouseEvent, shown: Shown): void {
    const detail = { ...this._detail(shown), url: shown.view.landingUrl };
    // Only a person's click counts: a script's dispatchEvent or element.click() is not a response.
    if (event.isTrusted) this._track('click', detail);
    this._emit('op-click', detail);
  }

  private _track(type: 'render' | 'viewable' | 'click', detail: OpRenderDetail, method?: 'io2' | 'io1'): void {
    this._session.track({
      type,
      decisionId: detail.decisionId,
      slotId: detail.slotId,
      creativeId: detail.creativeId,
      campaignId: detail.campaignId,
      ...(method ? { method } : {}),
    });
  }

  private _fail(code: string, message: string): void {
    this._stopMeasuring();
    this._shown = undefined;
    this.state = SLOT_STATES.error;
    const detail: OpErrorDetail = { slotId: this.slotId ?? '', code, message };
    this._emit('op-error', detail);
  }

  private _stopMeasuring(): void {
    this._stopViewability?.();
    this._stopViewability = undefined;
  }

  private _emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
