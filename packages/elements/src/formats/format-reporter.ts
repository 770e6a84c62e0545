// How a format's element measures and reports its creatives, the way `<op-slot>` does for a banner: a render once
// per creative, one viewable exposure per creative (MRC, through the session), clicks that count only when a person
// made them on a visible slot, closes, and failures — as beacons and as the slot's `op-*` events.
import { type Creative, type Opslot, observeViewable, trackEvent, type ViewabilityMethod } from '@opslot/core';
import { leaveNoticeDestination } from '../leave-notice/leave-notice-destination.js';
import { type Messages, messagesFor } from '../messages.js';
import type { OpCloseDetail, OpRenderDetail } from '../op-slot/op-slot.events.js';
import type { FormatHost } from './format-host.js';

type Tracked = 'render' | 'viewable' | 'click' | 'close';

export class FormatReporter {
  /** Creatives rendered, and the element each is watched in until it makes its viewable exposure. */
  private readonly _rendered = new Set<Creative>();
  private readonly _unviewed = new Map<Creative, Element>();
  /** Stops the viewability observers; renewed when the element comes back into the page. */
  private _observing = new AbortController();

  readonly session: Opslot;
  readonly messages: Messages;

  constructor(readonly host: FormatHost) {
    // The slot asked for its decision through its session, so it has one by now.
    this.session = host.slot.session as Opslot;
    // In the language of the slot's nearest `lang`, else the configuration's, as the slot's own words.
    this.messages = messagesFor(host.slot.closest('[lang]')?.getAttribute('lang') ?? this.session.config?.locale);
  }

  /** `creative` is on screen in `target` (its images loaded): counts its render once and watches its exposure. */
  shown(creative: Creative, target: Element): void {
    if (this._rendered.has(creative) || this._observing.signal.aborted) return;
    this._rendered.add(creative);
    this._counted(creative, 'rendered');
    this.host.slot.state = 'rendered';
    this._track('render', creative);
    this._emit('op-render', this._detail(creative));
    this._unviewed.set(creative, target);
    // Out of the page before this code or its images arrived (a route change): the render happened, but the watching
    // stops as it would have on leaving, and resumes if the slot comes back.
    if (this.host.slot.isConnected) this._observe(creative, target);
    else this.stop();
  }

  /**
   * The operator activated a link to `url`. Only a person's click on a creative they could see counts (not a
   * script's `click()`, not a click through a slot made transparent); then the page may take the navigation over.
   * When nobody did and the URL leaves the bank's domains, the navigation waits for the leave-the-bank notice, and
   * the URL opens (in a new tab, as the link would) only if the operator continues.
   * Returns whether the navigation goes on now: no `op-navigate` listener cancelled it, and no notice holds it.
   */
  click(event: MouseEvent, creative: Creative, url: string): boolean {
    const slot = this.host.slot;
    if (event.isTrusted && slot.checkVisibility?.({ opacityProperty: true, visibilityProperty: true }) !== false) {
      this._track('click', creative);
      this._claimOf(creative)?.click();
    }
    const detail = { ...this._detail(creative), url };
    this._emit('op-click', detail);
    const navigates = this._emit('op-navigate', detail, true);
    const destination = navigates ? leaveNoticeDestination(url, this.session.config) : undefined;
    if (!navigates || destination) event.preventDefault();
    if (destination) void this._confirmLeaving(creative, url, destination);
    return navigates && !destination;
  }

  /** Shows the leave-the-bank notice (its code loads now, on the first such click) and opens `url` on continue. */
  private async _confirmLeaving(creative: Creative, url: string, destination: string): Promise<void> {
    await import('../leave-notice/op-leave-notice.js');
    // A double click asks once: the first notice is still open.
    if (document.querySelector('op-leave-notice')) return;
    const notice = document.createElement('op-leave-notice');
    notice.destination = destination;
    notice.advertiser = creative.advertiser.name;
    notice.locale = this.messages.locale;
    // The page's body, not the slot: the dialog outlives a slot that a framework re-renders meanwhile.
    document.body.append(notice);
    if (await notice.ask()) open(url, '_blank', 'noopener,noreferrer');
  }

  /** The operator closed `creative`; the slot collapses for this page view. */
  close(creative: Creative, dontShowAgain: boolean): void {
    if (this.host.slot.state === 'closed') return;
    this.stop();
    this._track('close', creative);
    // Never again on this page view, and not before the rules' cooldown (or ever, with "don't show again").
    this.host.claim?.close(dontShowAgain);
    this.host.slot.state = 'closed';
    const detail: OpCloseDetail = { ...this._detail(creative), dontShowAgain };
    this._emit('op-close', detail);
  }

  /** The creative cannot be shown after all (an image did not load): the slot collapses with `op-error`. */
  fail(code: string, message: string): void {
    this.stop();
    this.host.slot.state = 'error';
    this._emit('op-error', { slotId: this.host.slot.slotId ?? '', code, message });
  }

  /** Out of the page (or closed): no more measuring. */
  stop(): void {
    this._observing.abort();
  }

  /** Back in the page (a framework moved the slot): watches again what has not made its exposure yet. */
  resume(): void {
    if (!this._observing.signal.aborted || /^(closed|error)$/.test(this.host.slot.state)) return;
    this._observing = new AbortController();
    for (const [creative, target] of this._unviewed) this._observe(creative, target);
  }

  private _observe(creative: Creative, target: Element): void {
    const stop = observeViewable(this.session, target, (method) => {
      this._unviewed.delete(creative);
      this._counted(creative, 'viewable');
      this._track('viewable', creative, method);
      this._emit('op-viewable', { ...this._detail(creative), method });
    });
    this._observing.signal.addEventListener('abort', stop, { once: true });
  }

  /**
   * Tells the frequency ledger: through the claim for the creative the slot chose, directly for the others it shows
   * (a carousel's later frames, a list's other cards), so that each counts as an exposure of its own.
   */
  private _counted(creative: Creative, moment: 'rendered' | 'viewable'): void {
    const claim = this._claimOf(creative);
    if (claim) claim.expose(moment);
    else if (this.host.claim) {
      void this.session.ledger().then((ledger) => ledger?.exposed(this.host.slot.slotId ?? '', creative, moment));
    }
  }

  /** The ledger claim, for the creative the slot chose first (the only one claimed). */
  private _claimOf(creative: Creative) {
    return this.host.claim?.subject.creativeId === creative.id ? this.host.claim : undefined;
  }

  private _detail(creative: Creative): OpRenderDetail {
    return {
      slotId: this.host.slot.slotId ?? '',
      decisionId: this.host.decisionId,
      creativeId: creative.id,
      campaignId: creative.campaignId,
      advertiserId: creative.advertiser.id,
    };
  }

  /** Beacons carry ids only: never the landing URL or the creative's text. */
  private _track(type: Tracked, creative: Creative, method?: ViewabilityMethod): void {
    const experiment = creative.experiment;
    trackEvent(this.session, {
      type,
      ...this._detail(creative),
      ...(experiment && { experimentId: experiment.id, bucket: experiment.bucket }),
      ...(method && { method }),
      ...(creative.preview && { preview: true }),
    });
  }

  private _emit<T>(type: string, detail: T, cancelable = false): boolean {
    return this.host.slot.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }
}
