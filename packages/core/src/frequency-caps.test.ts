// The frequency rules, checked two ways: cases that name each rule and reason, and a property-based test that
// compares the ledger's compact counts with a plain reference model over random histories and rule sets.
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { bankCalendar } from './bank-calendar.js';
import { type CapVerdict, evaluateCaps } from './frequency-caps.js';
import {
  advanceClock,
  emptyLedger,
  historyOf,
  type LedgerState,
  type PageView,
  prune,
  recordClick,
  recordClose,
  recordExposure,
  SESSION_IDLE_MS,
  type Subject,
  scopeKeys,
} from './ledger-state.js';
import type { CapScope, CapWindow, FrequencyRules } from './protocol.js';

const calendar = bankCalendar('Asia/Shanghai');
const HOUR = 3_600_000;
/** 2026-11-26 10:00 in Beijing. */
const MORNING = Date.UTC(2026, 10, 26, 2);

const subject = (overrides: Partial<Subject> = {}): Subject => ({
  creativeId: 'cr-1',
  campaignId: 'camp-1',
  advertiserId: 'adv-1',
  format: 'banner',
  slotId: 'home-banner',
  ...overrides,
});

type HistoryEvent =
  | { type: 'exposure'; at: number; subject: Subject; page: string }
  | { type: 'close'; at: number; subject: Subject; page: string; dontShowAgain: boolean }
  | { type: 'click'; at: number; subject: Subject; page: string };

/** The ledger after `events` (in time order), as the browser would have recorded them. */
function ledgerAfter(events: readonly HistoryEvent[]): LedgerState {
  const state = emptyLedger();
  for (const event of events) {
    const now = advanceClock(state, event.at);
    prune(state, now, calendar);
    if (event.type === 'exposure') recordExposure(state, event.subject, now, calendar);
    else if (event.type === 'close') recordClose(state, event.subject, now, event.dontShowAgain);
    else recordClick(state, event.subject, now);
  }
  return state;
}

/** What the current page view knows of itself. */
function pageViewOf(events: readonly HistoryEvent[], page: string): PageView {
  const view: PageView = { counts: new Map(), closed: new Set() };
  for (const event of events) {
    if (event.page !== page) continue;
    const keys = scopeKeys(event.subject);
    if (event.type === 'exposure')
      for (const key of Object.values(keys)) view.counts.set(key, (view.counts.get(key) ?? 0) + 1);
    if (event.type === 'close') view.closed.add(keys.campaign);
  }
  return view;
}

function verdictOf(
  rules: FrequencyRules[],
  events: readonly HistoryEvent[],
  candidate: Subject,
  now: number,
  page = 'p1',
) {
  const state = ledgerAfter(events);
  const at = advanceClock(state, now);
  prune(state, at, calendar);
  return evaluateCaps(rules, historyOf(state, candidate, at, calendar, pageViewOf(events, page)), at);
}

const exposures = (times: number[], overrides: Partial<Subject> = {}, page = 'p1'): HistoryEvent[] =>
  times.map((at) => ({ type: 'exposure', at, subject: subject(overrides), page }));

describe('evaluateCaps', () => {
  it('allows a creative under its cap and refuses it at the cap, naming the window', () => {
    const rules = [{ caps: [{ scope: 'creative' as const, max: 3, window: 'day' as const }] }];
    expect(verdictOf(rules, exposures([MORNING, MORNING + HOUR]), subject(), MORNING + 2 * HOUR)).to.deep.equal({
      eligible: true,
    });
    expect(
      verdictOf(rules, exposures([MORNING, MORNING + HOUR, MORNING + 2 * HOUR]), subject(), MORNING + 3 * HOUR),
    ).to.deep.equal({
      eligible: false,
      reason: 'capped:day',
    });
  });

  it('starts a new day at midnight in Beijing, not at midnight where the computer is', () => {
    const rules = [{ caps: [{ scope: 'creative' as const, max: 1, window: 'day' as const }] }];
    const lateEvening = Date.UTC(2026, 10, 26, 15, 30); // 23:30 in Beijing
    expect(verdictOf(rules, exposures([lateEvening]), subject(), lateEvening + 20 * 60_000).eligible).to.equal(false);
    // 00:10 on the 27th in Beijing, still the 26th in UTC.
    expect(verdictOf(rules, exposures([lateEvening]), subject(), lateEvening + 40 * 60_000).eligible).to.equal(true);
  });

  it('counts each scope: campaign, slot, advertiser, format and everything', () => {
    const seen = exposures([MORNING], { creativeId: 'cr-other' });
    const cap = (scope: CapScope) => [{ caps: [{ scope, max: 1, window: 'lifetime' as const }] }];
    expect(verdictOf(cap('creative'), seen, subject(), MORNING + 1000).eligible).to.equal(true);
    for (const scope of ['campaign', 'slot', 'advertiser', 'format', 'global'] as const) {
      expect(verdictOf(cap(scope), seen, subject(), MORNING + 1000), scope).to.deep.equal({
        eligible: false,
        reason: 'capped:lifetime',
      });
    }
  });

  it('keeps a minimum interval and a rolling window', () => {
    const interval = [{ minInterval: [{ scope: 'campaign' as const, seconds: 600 }] }];
    expect(verdictOf(interval, exposures([MORNING]), subject(), MORNING + 599_000)).to.deep.equal({
      eligible: false,
      reason: 'interval',
    });
    expect(verdictOf(interval, exposures([MORNING]), subject(), MORNING + 600_000).eligible).to.equal(true);
    const rolling = [{ caps: [{ scope: 'creative' as const, max: 2, window: 'rolling' as const, seconds: 3600 }] }];
    const twice = exposures([MORNING, MORNING + 10 * 60_000]);
    expect(verdictOf(rolling, twice, subject(), MORNING + 30 * 60_000).eligible).to.equal(false);
    // Both ends of the window are in it.
    expect(verdictOf(rolling, twice, subject(), MORNING + HOUR).eligible).to.equal(false);
    expect(verdictOf(rolling, twice, subject(), MORNING + HOUR + 1000).eligible).to.equal(true);
  });

  it('never shows a closed campaign again on the same page view, and keeps it away for its cooldown', () => {
    const closed: HistoryEvent[] = [
      { type: 'close', at: MORNING, subject: subject(), page: 'p1', dontShowAgain: false },
    ];
    const other = { creativeId: 'cr-2' };
    expect(verdictOf([], closed, subject(other), MORNING + 1000)).to.deep.equal({ eligible: false, reason: 'closed' });
    expect(verdictOf([], closed, subject(other), MORNING + 1000, 'p2').eligible).to.equal(true);
    const week = [{ closeCooldownSeconds: 7 * 86_400 }];
    expect(verdictOf(week, closed, subject(), MORNING + 6 * 24 * HOUR, 'p2')).to.deep.equal({
      eligible: false,
      reason: 'cooldown',
    });
    expect(verdictOf(week, closed, subject(), MORNING + 7 * 24 * HOUR, 'p2').eligible).to.equal(true);
  });

  it('honours "don\'t show again" for good, and a click cooldown', () => {
    const dismissed: HistoryEvent[] = [
      { type: 'close', at: MORNING, subject: subject(), page: 'p1', dontShowAgain: true },
    ];
    expect(verdictOf([], dismissed, subject(), MORNING + 400 * 24 * HOUR, 'p9')).to.deep.equal({
      eligible: false,
      reason: 'dismissed',
    });
    const clicked: HistoryEvent[] = [{ type: 'click', at: MORNING, subject: subject(), page: 'p1' }];
    expect(verdictOf([{ clickCooldownSeconds: 86_400 }], clicked, subject(), MORNING + HOUR)).to.deep.equal({
      eligible: false,
      reason: 'clicked',
    });
  });

  it('ends a session after 30 minutes without an exposure', () => {
    const rules = [{ caps: [{ scope: 'format' as const, max: 1, window: 'session' as const }] }];
    expect(verdictOf(rules, exposures([MORNING]), subject(), MORNING + SESSION_IDLE_MS).eligible).to.equal(false);
    expect(verdictOf(rules, exposures([MORNING]), subject(), MORNING + SESSION_IDLE_MS + 1).eligible).to.equal(true);
  });

  it('refuses a rule it cannot apply as written rather than over-contacting', () => {
    const broken = [{ caps: [{ scope: 'creative' as const, max: 1, window: 'rolling' as const }] }];
    expect(verdictOf(broken, [], subject(), MORNING)).to.deep.equal({ eligible: false, reason: 'invalid-rule' });
    const tooMany = [{ caps: [{ scope: 'creative' as const, max: 51, window: 'rolling' as const, seconds: 60 }] }];
    expect(verdictOf(tooMany, [], subject(), MORNING)).to.deep.equal({ eligible: false, reason: 'invalid-rule' });
  });
});

/**
 * The reference model: the rules read literally over the full list of what happened, with nothing compacted.
 * Same order of reasons as evaluateCaps.
 */
function referenceVerdict(
  rules: FrequencyRules[],
  events: readonly HistoryEvent[],
  candidate: Subject,
  now: number,
  page: string,
): CapVerdict {
  const refuse = (reason: Exclude<CapVerdict, { eligible: true }>['reason']): CapVerdict => ({
    eligible: false,
    reason,
  });
  const keys = scopeKeys(candidate);
  const closes = events.filter(
    (event) => event.type === 'close' && scopeKeys(event.subject).campaign === keys.campaign,
  );
  const clicks = events.filter(
    (event) => event.type === 'click' && scopeKeys(event.subject).campaign === keys.campaign,
  );
  if (closes.some((event) => event.type === 'close' && event.dontShowAgain)) return refuse('dismissed');
  if (closes.some((event) => event.page === page)) return refuse('closed');
  const lastClose = Math.max(-Infinity, ...closes.map((event) => event.at));
  const lastClick = Math.max(-Infinity, ...clicks.map((event) => event.at));
  for (const rule of rules) {
    if (rule.closeCooldownSeconds !== undefined && now - lastClose < rule.closeCooldownSeconds * 1000)
      return refuse('cooldown');
    if (rule.clickCooldownSeconds !== undefined && now - lastClick < rule.clickCooldownSeconds * 1000)
      return refuse('clicked');
  }
  const shown = events.filter((event) => event.type === 'exposure');
  // Sessions: runs of exposures with no gap over 30 minutes; the current one, if the last is recent enough.
  let sessionStart = -Infinity;
  for (let index = 0; index < shown.length; index++) {
    const previous = shown[index - 1];
    if (!previous || (shown[index] as HistoryEvent).at - previous.at > SESSION_IDLE_MS)
      sessionStart = (shown[index] as HistoryEvent).at;
  }
  const last = shown.at(-1);
  const sessionLive = last !== undefined && now - last.at <= SESSION_IDLE_MS;
  const today = calendar.day(now);
  const inWindow = (event: HistoryEvent, window: CapWindow, seconds = 0) => {
    const day = calendar.day(event.at);
    switch (window) {
      case 'page':
        return event.page === page;
      case 'session':
        return sessionLive && event.at >= sessionStart;
      case 'day':
        return day === today;
      case 'week':
        return calendar.week(day) === calendar.week(today) && day <= today;
      case 'lifetime':
        return true;
      case 'rolling':
        return event.at >= now - seconds * 1000;
    }
  };
  const inScope = (event: HistoryEvent, scope: CapScope) => scopeKeys(event.subject)[scope] === keys[scope];
  for (const rule of rules) {
    for (const { scope, max, window, seconds } of rule.caps ?? []) {
      if (window === 'rolling' && (seconds === undefined || max > 50)) return refuse('invalid-rule');
      if (shown.filter((event) => inScope(event, scope) && inWindow(event, window, seconds)).length >= max) {
        return refuse(`capped:${window}`);
      }
    }
  }
  for (const rule of rules) {
    for (const { scope, seconds } of rule.minInterval ?? []) {
      const latest = Math.max(-Infinity, ...shown.filter((event) => inScope(event, scope)).map((event) => event.at));
      if (now - latest < seconds * 1000) return refuse('interval');
    }
  }
  return { eligible: true };
}

describe('evaluateCaps against a reference model', () => {
  const scopes = fc.constantFrom<CapScope>('creative', 'campaign', 'slot', 'advertiser', 'format', 'global');
  const windows = fc.constantFrom<CapWindow>('page', 'session', 'day', 'week', 'lifetime', 'rolling');
  const subjects = fc.record({
    creativeId: fc.constantFrom('cr-1', 'cr-2', 'cr-3'),
    campaignId: fc.constantFrom('camp-1', 'camp-2'),
    advertiserId: fc.constantFrom('adv-1', 'adv-2'),
    format: fc.constantFrom('banner', 'popup'),
    slotId: fc.constantFrom('home-banner', 'home-side'),
  });
  // Whole seconds: bursts, gaps around the 30-minute session limit, and days, so that sessions, calendar days and
  // ISO weeks in Beijing all turn over.
  const gaps = fc.oneof(
    fc.integer({ min: 0, max: 600 }),
    fc.integer({ min: 1500, max: 4000 }),
    fc.integer({ min: 0, max: 36 * 3600 }),
  );
  const rules = fc.record(
    {
      caps: fc.array(
        fc.record({
          scope: scopes,
          max: fc.integer({ min: 1, max: 8 }),
          window: windows,
          seconds: gaps.map((gap) => gap + 1),
        }),
        { maxLength: 3 },
      ),
      minInterval: fc.array(fc.record({ scope: scopes, seconds: gaps.map((gap) => gap + 1) }), { maxLength: 2 }),
      closeCooldownSeconds: fc.integer({ min: 1, max: 3 * 86_400 }),
      clickCooldownSeconds: fc.integer({ min: 1, max: 86_400 }),
    },
    { requiredKeys: [] },
  );
  const steps = fc.array(
    fc.record({
      type: fc.constantFrom(...Array(8).fill('exposure'), 'close', 'click'),
      gapSeconds: gaps,
      subject: subjects,
      page: fc.constantFrom('p1', 'p2', 'p3'),
      dontShowAgain: fc.integer({ min: 0, max: 9 }).map((roll) => roll === 0),
    }),
    { maxLength: 60 },
  );

  it('agrees with the model on every history and rule set', () => {
    fc.assert(
      fc.property(
        steps,
        fc.array(rules, { minLength: 1, maxLength: 2 }),
        subjects,
        gaps,
        fc.constantFrom('p1', 'p2', 'p3'),
        (path, ruleSet, candidate, waitSeconds, page) => {
          let at = MORNING;
          const events: HistoryEvent[] = path.map((step) => {
            at += step.gapSeconds * 1000;
            return step.type === 'close'
              ? { type: 'close', at, subject: step.subject, page: step.page, dontShowAgain: step.dontShowAgain }
              : { type: step.type as 'exposure' | 'click', at, subject: step.subject, page: step.page };
          });
          const now = at + waitSeconds * 1000;
          expect(verdictOf(ruleSet, events, candidate, now, page)).to.deep.equal(
            referenceVerdict(ruleSet, events, candidate, now, page),
          );
        },
      ),
      { numRuns: 2000, seed: 20261126 },
    );
  });
});
