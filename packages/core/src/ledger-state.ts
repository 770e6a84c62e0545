// What the frequency ledger keeps for one operator and channel, and how it changes. Pure functions over a plain
// object, so that one IndexedDB transaction can read, check and write it, and so that tests can build any history.
//
// The state is bounded whatever happens: per scope (a creative, a campaign, a slot, …) it keeps counters per day,
// per session and for a lifetime, and only the latest ROLLING_KEPT exposure times; the least recently touched
// scopes go first past MAX_SCOPES. Property names are short because the whole object is stored, once per operator.
import type { BankCalendar } from './bank-calendar.js';
import { type CapHistory, ROLLING_KEPT } from './frequency-caps.js';
import type { CapScope, CapWindow, Creative } from './protocol.js';

/** A site session ends after this long without an exposure, as analytics sessions do. */
export const SESSION_IDLE_MS = 30 * 60_000;
/** How long a claimed but not yet counted exposure holds its place (it is released sooner when the page goes). */
export const CLAIM_LEASE_MS = 30 * 60_000;
/** Scopes kept at most; beyond, the least recently touched are forgotten. */
export const MAX_SCOPES = 400;
/** Days of counts kept: enough for the current ISO week. */
const DAYS_KEPT = 7;

/** One scope's history. */
export interface ScopeHistory {
  /** Times (epoch seconds) of the latest exposures, oldest first, at most {@link ROLLING_KEPT}. */
  r: number[];
  /** Exposures per day of the bank's calendar, as pairs `[day, count, day, count, …]`, the last 7 days only. */
  d: number[];
  /** Exposures in a session: `[session start (epoch ms), count]`. */
  s: [number, number];
  /** Exposures in a lifetime. */
  t: number;
  /** Latest close (epoch ms). */
  x?: number;
  /** The operator asked never to see it again. */
  n?: 1;
  /** Latest click (epoch ms). */
  k?: number;
  /** Latest change (epoch ms), to forget the stalest scopes first. */
  u: number;
}

/** An exposure claimed by a page that has not counted yet (a creative shown, waiting to be viewable). */
export interface PendingExposure {
  id: string;
  keys: string[];
  /** Epoch ms of the claim. */
  at: number;
}

export interface LedgerState {
  v: 1;
  /** The latest time (epoch ms) the ledger has seen. Time never runs backwards for it: a clock moved back resets nothing. */
  clock: number;
  /** The site session, shared by the operator's tabs: `[start, latest exposure]` in epoch ms. */
  session: [number, number];
  scopes: Record<string, ScopeHistory>;
  pending: PendingExposure[];
}

/** Who and what an exposure is about: the ids each scope is keyed by. */
export interface Subject {
  creativeId: string;
  campaignId: string;
  advertiserId: string;
  format: string;
  slotId: string;
}

/** The subject of `creative` shown in `slotId`. */
export const subjectOf = (creative: Creative, slotId: string): Subject => ({
  creativeId: creative.id,
  campaignId: creative.campaignId,
  advertiserId: creative.advertiser.id,
  format: creative.format,
  slotId,
});

/** What only this page view knows: its own exposures (for `page` windows) and the campaigns closed on it. */
export interface PageView {
  counts: Map<string, number>;
  closed: Set<string>;
}

export const emptyLedger = (): LedgerState => ({ v: 1, clock: 0, session: [0, 0], scopes: {}, pending: [] });

/** The key of each scope of a subject. Ids cannot hold a `/`, so keys of different scopes never meet. */
export function scopeKeys(subject: Subject): Record<CapScope, string> {
  return {
    creative: `c/${subject.creativeId}`,
    campaign: `k/${subject.campaignId}`,
    slot: `s/${subject.slotId}`,
    advertiser: `a/${subject.advertiserId}`,
    format: `f/${subject.format}`,
    global: 'g',
  };
}

/** Moves the ledger's clock to `wallNow` unless it has seen later, and returns the time to use. */
export function advanceClock(state: LedgerState, wallNow: number): number {
  state.clock = Math.max(state.clock, wallNow);
  return state.clock;
}

const scope = (state: LedgerState, key: string, now: number): ScopeHistory => {
  const history = state.scopes[key] ?? { r: [], d: [], s: [0, 0], t: 0, u: now };
  history.u = now;
  state.scopes[key] = history;
  return history;
};

/** Counts one exposure of `subject` at `now` in every one of its scopes. */
export function recordExposure(state: LedgerState, subject: Subject, now: number, calendar: BankCalendar): void {
  if (now - state.session[1] > SESSION_IDLE_MS) state.session = [now, now];
  else state.session[1] = now;
  const [sessionStart] = state.session;
  const today = calendar.day(now);
  for (const key of Object.values(scopeKeys(subject))) {
    const history = scope(state, key, now);
    history.r.push(Math.floor(now / 1000));
    if (history.r.length > ROLLING_KEPT) history.r.splice(0, history.r.length - ROLLING_KEPT);
    const index = history.d.length - 2;
    if (history.d[index] === today) history.d[index + 1] = (history.d[index + 1] ?? 0) + 1;
    else history.d.push(today, 1);
    history.s = history.s[0] === sessionStart ? [sessionStart, history.s[1] + 1] : [sessionStart, 1];
    history.t++;
  }
}

/** Records that the operator closed the subject's campaign, or asked never to see it again. */
export function recordClose(state: LedgerState, subject: Subject, now: number, dontShowAgain: boolean): void {
  const history = scope(state, scopeKeys(subject).campaign, now);
  history.x = now;
  if (dontShowAgain) history.n = 1;
}

/** Records a click on the subject's campaign. */
export function recordClick(state: LedgerState, subject: Subject, now: number): void {
  scope(state, scopeKeys(subject).campaign, now).k = now;
}

/** Forgets what no rule can need any more: old days, lapsed claims, and the stalest scopes past the limit. */
export function prune(state: LedgerState, now: number, calendar: BankCalendar): void {
  const oldestDay = calendar.day(now) - DAYS_KEPT;
  for (const history of Object.values(state.scopes)) {
    const kept: number[] = [];
    for (let index = 0; index < history.d.length; index += 2) {
      if ((history.d[index] ?? 0) > oldestDay) kept.push(history.d[index] ?? 0, history.d[index + 1] ?? 0);
    }
    history.d = kept;
  }
  state.pending = state.pending.filter((claim) => now - claim.at < CLAIM_LEASE_MS);
  const keys = Object.keys(state.scopes);
  if (keys.length > MAX_SCOPES) {
    keys.sort((a, b) => (state.scopes[a]?.u ?? 0) - (state.scopes[b]?.u ?? 0));
    for (const key of keys.slice(0, keys.length - MAX_SCOPES)) delete state.scopes[key];
  }
}

/**
 * The history of `subject` for {@link evaluateCaps}: the ledger's counts plus the exposures claimed and not yet
 * counted (by any tab), which count as if they had happened now, so that two tabs cannot both take the last one.
 */
export function historyOf(
  state: LedgerState,
  subject: Subject,
  now: number,
  calendar: BankCalendar,
  page: PageView,
): CapHistory {
  const keys = scopeKeys(subject);
  const today = calendar.day(now);
  const sessionLive = now - state.session[1] <= SESSION_IDLE_MS;
  const claimed = (key: string) => state.pending.filter((claim) => claim.keys.includes(key)).length;
  const campaign = state.scopes[keys.campaign];

  const counted = (history: ScopeHistory, window: CapWindow, seconds = 0): number => {
    switch (window) {
      case 'session':
        return sessionLive && history.s[0] === state.session[0] ? history.s[1] : 0;
      case 'lifetime':
        return history.t;
      case 'rolling': {
        const from = Math.floor(now / 1000) - seconds;
        return history.r.filter((time) => time >= from).length;
      }
      default: {
        let total = 0;
        for (let index = 0; index < history.d.length; index += 2) {
          const day = history.d[index] ?? 0;
          const inWindow = window === 'day' ? day === today : calendar.week(day) === calendar.week(today);
          if (inWindow && day <= today) total += history.d[index + 1] ?? 0;
        }
        return total;
      }
    }
  };

  return {
    count(scopeName, window, seconds) {
      const key = keys[scopeName];
      // This page's own claims are in its page counts already.
      if (window === 'page') return page.counts.get(key) ?? 0;
      const history = state.scopes[key];
      return (history ? counted(history, window, seconds) : 0) + claimed(key);
    },
    lastExposure(scopeName) {
      const key = keys[scopeName];
      const latest = state.scopes[key]?.r.at(-1);
      const claims = state.pending.filter((claim) => claim.keys.includes(key)).map((claim) => claim.at);
      return Math.max(latest === undefined ? -Infinity : latest * 1000, ...claims);
    },
    closedAt: campaign?.x ?? -Infinity,
    closedThisPage: page.closed.has(keys.campaign),
    dismissed: campaign?.n === 1,
    clickedAt: campaign?.k ?? -Infinity,
  };
}
