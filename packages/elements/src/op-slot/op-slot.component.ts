import type { Claim, Creative, Opslot, Size, SlotOutcome } from '@opslot/core';
import { FORMATS, observeNearViewport } from '@opslot/core';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { type BannerView, renderBanner } from '../formats/banner.js';
import type { FormatReporter } from '../formats/format-reporter.js';
import { type MessagesLocale, messagesFor } from '../messages.js';
import { pageSession } from '../page-session.js';
import { parseSlotSize } from '../slot-size.js';
import type { OpEmptyDetail, OpErrorDetail } from './op-slot.events.js';
import { opSlotStyles } from './op-slot.styles.js';

export const SLOT_STATES = {
  idle: 'idle',
  loading: 'loading',
  rendered: 'rendered',
  empty: 'empty',
  error: 'error',
  /** The operator closed it (a pop-up, floating or notice creative); it stays away for this page view. */
  closed: 'closed',
} as const;
export type SlotState = (typeof SLOT_STATES)[keyof typeof SLOT_STATES];

interface Shown {
  decisionId: string;
  creative: Creative;
  /**
   * What a banner shows, or the element of another format. That element, from a lazily loaded chunk, measures and
   * reports its creatives itself (formats/format-reporter.ts); a banner does the same through `reporter`, once its
   * image is on screen, so that the entry carries none of that code.
   */
  view: BannerView | HTMLElement;
  /** The page the decision was made for, and until when (epoch ms) it may be shown again without asking. */
  pageId: string;
  freshUntil: number;
  /** Its place in the operator's frequency ledger, when rules apply to it. */
  claim?: Claim | undefined;
  /** A banner's reporter, once loaded (see `_onImageLoad`). */
  reporter?: FormatReporter;
  reporting?: Promise<FormatReporter>;
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
 * @attr corner - Where a floating creative docks: `bottom-end` (default), `bottom-start`, `top-end`, `top-start`.
 * @attr state - Reflected: `idle`, `loading`, `rendered`, `empty`, `error` or `closed`. The last three collapse,
 *   whatever the page's CSS says about `op-slot`, unless the configuration says `collapse: "keep-space"`.
 *
 * @event op-render - The creative is shown. Detail: {@link OpRenderDetail}.
 * @event op-empty - Nothing to show; the slot collapses. Detail: {@link OpEmptyDetail}, with the reason.
 * @event op-viewable - A viewable exposure was counted.
 * @event op-click - The operator clicked the creative.
 * @event op-navigate - Cancelable, after `op-click`: a banking app's router or native bridge may take the landing
 *   target over with `preventDefault()`; otherwise the slot opens it. Detail: {@link OpClickDetail}.
 * @event op-close - The operator closed a pop-up, floating or notice creative; the slot collapses. Detail:
 *   {@link OpCloseDetail}.
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

  /** Aborted when the slot leaves the page or starts over: cancels its decision and its observers. */
  private _work: AbortController | undefined;

  constructor() {
    super();
    this.slotId = null;
    this.size = null;
    this.state = SLOT_STATES.idle;
    this._shown = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page (a framework re-parenting it) while its decision is fresh: it keeps its creative, with no
    // new request and no second render counted. Otherwise, and always on another page id, it asks anew.
    if (this._mayKeepShowing()) this._shown?.reporter?.resume();
    else this._begin(true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Out of the page (a route change in a single-page app), it stops asking and measuring at once. A shown creative
    // stays, in case the slot is only being moved.
    this._work?.abort();
    this._work = undefined;
    const shown = this._shown;
    shown?.reporter?.stop();
    if (this.state !== SLOT_STATES.rendered) this.state = SLOT_STATES.idle;
    // Still out once the moving code has run: an exposure that has not counted gives its place in the ledger back,
    // and the creative is not kept for a later return.
    queueMicrotask(() => {
      if (!this.isConnected && shown?.claim?.release()) shown.freshUntil = 0;
    });
  }

  /**
   * Asks for a new decision now and shows its creative, replacing the current one. Most pages call the page-wide
   * `refresh()` instead, which limits each slot to one refresh per 30 seconds.
   */
  refresh(): void {
    this._begin(false);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('size') || changed.has('slotId')) this._reserveSpace();
    if (changed.has('state')) this._collapseWhenEmpty();
  }

  protected override render() {
    const shown = this._shown;
    if (!shown) return nothing;
    if (shown.view instanceof HTMLElement) return shown.view;
    const messages = messagesFor(this._locale());
    return html`<div class="frame">
      <div class="chrome">
        <span class="label">${messages.adLabel}</span>
        ${shown.creative.preview ? html`<span class="label">${messages.previewLabel}</span>` : nothing}
        <span class="advertiser">${shown.creative.advertiser.name}</span>
        <button
          class="about-button"
          type="button"
          aria-label=${messages.aboutThisContent}
          aria-expanded="false"
          @click=${(event: Event) => this._toggleAbout(event.currentTarget as HTMLElement, shown, messages.locale)}
        >
          ⓘ
        </button>
      </div>
      ${renderBanner(shown.view, messages, {
        onLoad: () => this._onImageLoad(shown),
        onError: () => this._fail('asset-failed', `image of ${shown.creative.id} did not load`),
        onClick: (event) => this._onClick(event, shown),
      })}
    </div>`;
  }

  private get _session(): Opslot {
    this.session ??= pageSession();
    return this.session;
  }

  private _mayKeepShowing(): boolean {
    const shown = this._shown;
    return (
      shown !== undefined &&
      this.state === SLOT_STATES.rendered &&
      Date.now() < shown.freshUntil &&
      shown.pageId === this._session.config?.pageId
    );
  }

  private _reservedSize(): Size | undefined {
    return parseSlotSize(this.size) ?? (this.slotId ? this._session.config?.slots[this.slotId]?.size : undefined);
  }

  private _reserveSpace(): void {
    const size = this._reservedSize();
    // An empty value removes the property, so a size taken away stops reserving space.
    this.style.setProperty('--_reserved-width', size ? `${size[0]}px` : '');
    this.style.setProperty('--_reserved-ratio', size ? `${size[0]} / ${size[1]}` : '');
  }

  /**
   * An empty or failed slot gives its space back, unless the page asked to keep it. The page's own CSS for
   * `op-slot` (say `display: block`) would win over a `:host` rule, so the collapse is an inline style, as ad tags'
   * collapse-empty-slots does.
   */
  private _collapseWhenEmpty(): void {
    const settledEmpty = !/^(idle|loading|rendered)$/.test(this.state);
    const collapse = settledEmpty && this._session.config?.collapse !== 'keep-space';
    this.style.setProperty('display', collapse ? 'none' : '', 'important');
  }

  private _locale(): string | undefined {
    return this.closest('[lang]')?.getAttribute('lang') ?? this.session?.config?.locale;
  }

  /** Starts over: forgets what it showed and asks, at once or (lazy) once the slot nears the viewport. */
  private _begin(lazy: boolean): void {
    this._work?.abort();
    const work = new AbortController();
    this._work = work;
    this._shown?.claim?.release();
    this._shown?.reporter?.stop();
    this._shown = undefined;
    this.state = SLOT_STATES.idle;
    const slotId = this.slotId;
    if (!slotId) {
      this._fail('missing-slot-id', 'no slot-id attribute');
      return;
    }
    const lazyLoad = this._session.config?.lazyLoad;
    // Until it has first rendered, a slot already near the viewport asks at once rather than after the observer's
    // first report, a frame later (the time to the first creative, docs/benchmarks.md). A slot that starts over after
    // that waits for the frame: a pop-up that reconnected as it opened, asking anew each time without a frame
    // between, starved the page.
    if (lazy && lazyLoad) {
      this._whenNear(lazyLoad.fetchMarginPercent, work, () => void this._decide(slotId, work), !this.hasUpdated);
    } else {
      void this._decide(slotId, work);
    }
  }

  /** Calls back once the slot is within `marginPercent` of a viewport height, unless the work is aborted first. */
  private _whenNear(marginPercent: number, work: AbortController, then: () => void, lookNow?: boolean): void {
    const stop = observeNearViewport(this, marginPercent, then, { lookNow });
    work.signal.addEventListener('abort', stop, { once: true });
  }

  private async _decide(slotId: string, work: AbortController): Promise<void> {
    this.state = SLOT_STATES.loading;
    const size = this._reservedSize();
    const outcome = await this._session.decide(
      { id: slotId, sizes: size ? [size] : [], formats: [...FORMATS] },
      work.signal,
    );
    if (!work.signal.aborted) await this._settle(slotId, outcome, work);
  }

  private async _settle(slotId: string, outcome: SlotOutcome, work: AbortController): Promise<void> {
    if (outcome.kind === 'error') {
      this._fail(outcome.code, outcome.message);
      return;
    }
    if (outcome.kind === 'empty') {
      this._empty({ slotId, reason: outcome.reason, ...(outcome.decisionId && { decisionId: outcome.decisionId }) });
      return;
    }
    // The server orders candidates by preference. The first one the browser can show safely and that the operator's
    // frequency rules allow wins; a format of several creatives (carousel, card list) shows the allowed ones after it.
    const { candidates, decisionId } = outcome;
    let pool = candidates.filter((creative) => creative.format !== 'banner' || this._bannerView(creative));
    const lazyLoad = this._session.config?.lazyLoad;
    // Rendering may wait for a nearer margin than fetching: the decision is ready when the operator scrolls there.
    const rendersLater = lazyLoad && lazyLoad.renderMarginPercent < lazyLoad.fetchMarginPercent;
    // A banner about to show has its image fetched now, while the frequency ledger (which may first have to load and
    // open IndexedDB) makes up its mind: the first candidate is the one shown unless a rule refuses it, and the
    // slot's own image then comes from the browser's memory cache (the time to the first creative, docs/benchmarks.md).
    const likely = !rendersLater && pool[0]?.format === 'banner' && this._bannerView(pool[0]);
    if (likely) Object.assign(new Image(), { srcset: likely.srcset, src: likely.imageSrc });
    while (pool.length) {
      const choice = await this._session.choose(slotId, pool);
      if (!('creative' in choice)) {
        this._empty({ slotId, reason: choice.reason as OpEmptyDetail['reason'], decisionId });
        return;
      }
      const { creative, claim } = choice;
      const index = pool.indexOf(creative);
      let view: BannerView | HTMLElement | undefined;
      if (creative.format === 'banner') {
        view = this._bannerView(creative);
      } else {
        // Every other format is code of its own, loaded only now that a decision names it.
        try {
          const { createFormat } = await import('../formats/load-format.js');
          view = await createFormat([creative, ...(choice.others ?? [])], { slot: this, decisionId, claim });
        } catch {
          claim?.release();
          this._fail('asset-failed', creative.format);
          return;
        }
      }
      if (work.signal.aborted) {
        claim?.release();
        return;
      }
      if (!view) {
        claim?.release();
        pool = pool.slice(index + 1);
        continue;
      }
      const shown: Shown = {
        decisionId,
        creative,
        view,
        pageId: this._session.config?.pageId ?? '',
        freshUntil: Date.now() + outcome.ttl * 1000,
        claim,
      };
      if (rendersLater) {
        this._whenNear(lazyLoad.renderMarginPercent, work, () => {
          this._shown = shown;
        });
      } else {
        this._shown = shown;
      }
      return;
    }
    this._fail('unsafe-creative', 'no candidate that can be shown safely');
  }

  private _empty(detail: OpEmptyDetail): void {
    this.state = SLOT_STATES.empty;
    this._emit('op-empty', detail);
  }

  private _bannerView(creative: Creative): BannerView | undefined {
    const image = creative.assets.image;
    if (!image) return undefined;
    const resolve = (raw: string) => this._session.resolveUrl(raw)?.href;
    const imageSrc = resolve(image.src);
    const landingUrl = resolve(creative.landingUrl);
    // Denser copies for 2x and 3x screens; one unsafe URL among them makes the creative unsafe.
    const srcset = (image.srcset ?? []).map(({ src, density }) => resolve(src) && `${resolve(src)} ${density}x`);
    if (!imageSrc || !landingUrl || srcset.includes(undefined)) return undefined;
    return {
      imageSrc,
      landingUrl,
      srcset: srcset.join(),
      width: image.width,
      height: image.height,
      alt: image.alt,
    };
  }

  /**
   * The banner's image is on screen. From here it is measured like every format, by the reporter they share: its
   * render, its viewable exposure, its clicks. That code was fetched while the decision was in flight (see _decide).
   */
  private _onImageLoad(shown: Shown): void {
    if (this._shown !== shown || this.state === SLOT_STATES.rendered) return;
    this.state = SLOT_STATES.rendered;
    void this._reporting(shown).then((reporter) => this._shown === shown && reporter.shown(shown.creative, this));
  }

  private _reporting(shown: Shown): Promise<FormatReporter> {
    shown.reporting ??= import('../formats/format-reporter.js').then(
      ({ FormatReporter }) =>
        (shown.reporter = new FormatReporter({ slot: this, decisionId: shown.decisionId, claim: shown.claim })),
    );
    return shown.reporting;
  }

  private _onClick(event: MouseEvent, shown: Shown): void {
    const url = (shown.view as BannerView).landingUrl;
    if (shown.reporter) {
      shown.reporter.click(event, shown.creative, url);
      return;
    }
    // Clicked in the instant before the reporter arrived: the navigation waits for it, so that the click is counted
    // and the page may still take the navigation over.
    event.preventDefault();
    void this._reporting(shown).then((reporter) => {
      if (reporter.click(event, shown.creative, url)) open(url, '_blank', 'noopener,noreferrer');
    });
  }

  /**
   * Opens or closes the "about this content" panel. Its code, the toggle's included, loads on first use, so pages
   * pay for it only when an operator asks. The panel goes with the frame when the slot shows something else.
   */
  private _toggleAbout(button: HTMLElement, shown: Shown, locale: MessagesLocale): void {
    void import('./op-slot-about.js').then(({ toggleAbout }) =>
      toggleAbout(button, shown.creative, this._session, locale),
    );
  }

  private _fail(code: string, message: string): void {
    this._work?.abort();
    this._shown = undefined;
    this.state = SLOT_STATES.error;
    const detail: OpErrorDetail = { slotId: this.slotId ?? '', code, message };
    this._emit('op-error', detail);
  }

  private _emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
