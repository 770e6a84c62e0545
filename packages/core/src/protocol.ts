/**
 * Wire types of the opslot protocol, version 1.
 *
 * `docs/protocol.md` explains them and the JSON Schema files in `packages/core/schema/` are their
 * normative form: the browser validates every response against those schemas and the reference server's
 * tests check its answers with them. Keep the three in step.
 */

export const PROTOCOL_VERSION = 1;

export const CHANNELS = ['corporate-web', 'corporate-mobile', 'personal-web', 'personal-mobile'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Formats this version of the SDK can render. A decision naming any other collapses its slot. What each one needs in
 * `assets` is in `schema/creative-assets.v1.schema.json` and `docs/protocol.md#formats`.
 */
export const FORMATS = ['banner', 'carousel', 'popup', 'floating', 'notice', 'card-list', 'native'] as const;
export type Format = (typeof FORMATS)[number];

/** Width and height in CSS pixels. */
export type Size = [width: number, height: number];

export interface PageContext {
  channel: Channel;
  /** The bank's name for the page, such as `home`; never its URL, which may carry personal data. */
  pageId: string;
  /** BCP 47 language tag of the page, such as `zh-CN`. */
  locale: string;
  viewport: { width: number; height: number };
}

export interface SlotRequest {
  id: string;
  sizes: Size[];
  formats: string[];
}

/** Body of `POST /v1/decisions`. */
export interface DecisionRequest {
  v: typeof PROTOCOL_VERSION;
  page: PageContext;
  slots: SlotRequest[];
  /** Opaque key chosen by the bank (a salted hash or random id); never an account number, name, phone or ID number. */
  operator?: string;
  consent: { personalized: boolean };
  /** What the browser's frequency ledger has already capped, so the server can skip it. Ids only. */
  ledger?: LedgerDigest;
  /** A preview token from the partner studio, present only when the page was opened with one. */
  preview?: string;
  /** QA: creatives to force into slots (`?opslot_force=slot:creative`), honoured only where the server allows it. */
  force?: { slotId: string; creativeId: string }[];
}

export interface LedgerDigest {
  cappedCreatives?: string[];
  cappedCampaigns?: string[];
}

export interface Advertiser {
  id: string;
  name: string;
}

export interface ImageAsset {
  /** Absolute, or relative to the decision endpoint's URL. */
  src: string;
  width: number;
  height: number;
  alt: string;
  /** The same picture for denser screens (2x, 3x), offered to the browser as a `srcset`. */
  srcset?: { src: string; density: number }[];
}

/** The words of a text-based creative, rendered as text, never as markup. Which ones a format needs: see FORMATS. */
export interface TextAssets {
  title?: string;
  subtitle?: string;
  summary?: string;
  /** A notice's one line. */
  body?: string;
  /** The call to action, such as `立即申请`. */
  cta?: string;
  /** When a message-center card was published, an RFC 3339 date-time. */
  publishedAt?: string;
}

/** What a creative shows, by format; see `schema/creative-assets.v1.schema.json`. */
export interface CreativeAssets {
  /** banner, carousel (one frame), popup, floating; optional on card-list. */
  image?: ImageAsset;
  /** notice (body), card-list (title, summary), native (title, cta). */
  text?: TextAssets;
  /** native: the advertiser's logo. */
  logo?: ImageAsset;
  /** native: the brand colour of its call to action, `#rrggbb`. */
  brandColor?: string;
}

export interface Creative {
  id: string;
  campaignId: string;
  /** One of {@link FORMATS}; typed as string because the server may be newer than the SDK. */
  format: string;
  advertiser: Advertiser;
  assets: CreativeAssets;
  /** Absolute, or relative to the decision endpoint's URL; only http(s) is ever followed. */
  landingUrl: string;
  /** The distribution strategy that chose the creative, such as `priority`. */
  strategy: string;
  /** The A/B experiment and bucket the operator is in, when an experiment chose the creative. */
  experiment?: { id: string; bucket: string };
  /** A short human-readable reason, shown to QA and in "why am I seeing this". */
  reason: string;
  /** Contact-frequency rules the browser enforces before showing it. */
  frequency?: FrequencyRules;
  /**
   * A partner's preview of its own creative (strategy `preview`): shown to this viewer only, marked 预览, every event
   * of it sent with `preview: true`, and never counted against the operator's contact frequency.
   */
  preview?: boolean;
}

/** What a frequency rule counts: exposures of the creative, its campaign, the slot, the advertiser, the format, or all. */
export type CapScope = 'creative' | 'campaign' | 'slot' | 'advertiser' | 'format' | 'global';

/** Page view, site session, calendar day or ISO week in the bank's time zone, lifetime, or the last `seconds`. */
export type CapWindow = 'page' | 'session' | 'day' | 'week' | 'lifetime' | 'rolling';

export interface Cap {
  scope: CapScope;
  /** Most exposures allowed in the window (a rolling window counts up to 50). */
  max: number;
  window: CapWindow;
  /** Length of a rolling window. */
  seconds?: number;
}

/** Contact-frequency rules; every one must pass. See `docs/protocol.md#frequency-rules`. */
export interface FrequencyRules {
  caps?: Cap[];
  /** Least time between two exposures within a scope. */
  minInterval?: { scope: CapScope; seconds: number }[];
  /** After a close, the campaign stays away this long (and always for the rest of the page view). */
  closeCooldownSeconds?: number;
  /** After a click, the campaign stays away this long. */
  clickCooldownSeconds?: number;
  /** What counts as an exposure; viewable by default. */
  countOn?: 'viewable' | 'rendered';
}

export interface SlotDecision {
  id: string;
  /** In order of preference; the first one that passes the browser's checks is shown. */
  candidates: Creative[];
  /** The bank's kill switch: show nothing, and do not ask again for this slot before the decision's `ttl`. */
  disabled?: boolean;
}

/** Answer to `POST /v1/decisions`. */
export interface DecisionResponse {
  v: typeof PROTOCOL_VERSION;
  decisionId: string;
  /** Seconds the decision may be reused. */
  ttl: number;
  slots: SlotDecision[];
  /** Present when the request carried a preview token: whether it was honoured, and if not why. */
  preview?: PreviewVerdict;
}

/** Why a preview token was refused: out of date, not one the server issued, or not for a slot of this page. */
export type PreviewRefusal = 'expired' | 'invalid' | 'mismatch';

/** The answer to a request's preview token. A refused token never fails the request: the page decides as usual. */
export type PreviewVerdict = { accepted: true } | { accepted: false; reason: PreviewRefusal };

export const EVENT_TYPES = {
  request: 'request',
  fill: 'fill',
  noFill: 'no-fill',
  render: 'render',
  viewable: 'viewable',
  click: 'click',
  close: 'close',
  error: 'error',
  conversion: 'conversion',
  vital: 'vital',
} as const;
export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

/** How a viewable exposure was measured: IntersectionObserver v2 (occlusion-aware) or v1. */
export type ViewabilityMethod = 'io2' | 'io1';

/**
 * One measured event. Which optional fields it carries depends on its type: render, viewable, click and close name
 * the creative; request, fill, no-fill and error name the slot; conversion names what the operator did. Events never
 * carry personal data: no operator key, no URL, nothing typed by the operator.
 */
export interface BeaconEvent {
  /** Fixed when the event is created and kept across retries; the collector de-duplicates on it. */
  id: string;
  type: EventType;
  /** Epoch milliseconds when the event happened. */
  ts: number;
  channel: Channel;
  pageId: string;
  decisionId?: string;
  slotId?: string;
  creativeId?: string;
  campaignId?: string;
  advertiserId?: string;
  experimentId?: string;
  bucket?: string;
  method?: ViewabilityMethod;
  /** Why: an error's code, or a no-fill's reason. */
  code?: string;
  /** A conversion's name, such as `loan-application-submitted`; a vital's metric: `lcp`, `cls` or `inp`. */
  name?: string;
  /** A vital's value: milliseconds for LCP and INP, the layout shift score for CLS. */
  value?: number;
  /** Of a CLS value, the part whose shifts moved a slot or something inside one (the SDK's target: 0). */
  slotShift?: number;
  /** Set on the events of a partner's preview, which stats never count. */
  preview?: boolean;
}

/** Body of `POST /v1/events`, sent as `text/plain` so that beacons need no CORS preflight. */
export interface EventBatch {
  v: typeof PROTOCOL_VERSION;
  events: BeaconEvent[];
}

/** Answer to `POST /v1/events`. Every id in it is settled: the client drops all of them from its outbox. */
export interface EventBatchResult {
  v: typeof PROTOCOL_VERSION;
  accepted: string[];
  duplicates: string[];
  rejected: { index: number; code: string }[];
}

export interface CreativeStats {
  creativeId: string;
  campaignId: string;
  advertiserId: string;
  advertiserName: string;
  renders: number;
  /** Viewable exposures (MRC: ≥50 % of pixels in view for one continuous second). */
  exposures: number;
  clicks: number;
  /** clicks / exposures, 0 when there is no exposure. */
  ctr: number;
}

/** Answer to `GET /v1/stats`. */
export interface StatsResponse {
  v: typeof PROTOCOL_VERSION;
  creatives: CreativeStats[];
}

/** One Core Web Vital over the page views that reported it. */
export interface VitalSummary {
  /** Page views that reported it. */
  count: number;
  /** The 75th percentile (nearest rank), as Core Web Vitals are judged: ms for LCP and INP, the score for CLS. */
  p75: number | null;
  /** LCP and INP: the share of those page views where it was a slot (the creative painted largest, or was the
   * slowest interaction). CLS: the largest slot part of any page view's CLS, whose target is 0. */
  slots: number | null;
}

/** Answer to `GET /v1/stats/vitals`: the Core Web Vitals the sampled page views reported, and the slots' part. */
export interface VitalsResponse {
  v: typeof PROTOCOL_VERSION;
  lcp: VitalSummary;
  cls: VitalSummary;
  inp: VitalSummary;
}

export const STATS_DIMENSIONS = ['creative', 'slot', 'advertiser', 'bucket', 'day'] as const;
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

export interface StatsRow {
  /** The creative, slot or advertiser id, the experiment bucket, or the day (`YYYY-MM-DD`, Asia/Shanghai). */
  key: string;
  /** With `by=bucket`: the experiment the bucket belongs to. */
  experimentId?: string;
  renders: number;
  exposures: number;
  clicks: number;
  ctr: number;
  conversions: number;
}

/** Answer to `GET /v1/stats?by=<dimension>`: one row per value with at least one counted event, sorted by key. */
export interface StatsBreakdownResponse {
  v: typeof PROTOCOL_VERSION;
  by: StatsDimension;
  rows: StatsRow[];
}

/** Body of every error answer of the API, with a fitting 4xx/5xx status. */
export interface ErrorResponse {
  error: { code: string; message: string };
}
