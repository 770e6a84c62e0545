// The browser's frequency ledger: what one operator has been shown on one channel, shared by all their tabs, and the
// check that keeps every creative within its contact-frequency rules. createOpslot loads it lazily, while the decision
// request is in flight. It never throws into the page: when IndexedDB fails it goes on in memory for the page.
import frequencyRulesSchema from '../schema/frequency-rules.v1.schema.json' with { type: 'json' };
import { type BankCalendar, bankCalendar, DEFAULT_TIME_ZONE } from './bank-calendar.js';
import type { OpslotConfig } from './config.js';
import { type CapReason, evaluateCaps } from './frequency-caps.js';
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
  type Subject,
  scopeKeys,
  subjectOf,
} from './ledger-state.js';
import { indexedDbLedgerStore, type LedgerStore, memoryLedgerStore } from './ledger-store.js';
import type { Creative, FrequencyRules, LedgerDigest } from './protocol.js';
import { compileSchema } from './validate-schema.js';

/** The ledger's own problems, reported once each; the ledger keeps enforcing either way. */
export type LedgerDiagnostic =
  /** IndexedDB is missing, failed or did not answer in time: counts are kept in this page's memory only. */
  | { code: 'ledger-storage-unavailable'; reason: string }
  /** The page's `frequency` or `timeZone` configuration is not valid; see the message. */
  | { code: 'ledger-invalid-config'; message: string };

export interface LedgerOptions {
  win: Window;
  /** Whose ledger: `<operator or anonymous>:<channel>`. */
  namespace: string;
  /** Rules of the page's configuration, applied to every creative besides its own. */
  pageRules?: unknown;
  /** IANA time zone of the bank's calendar; default Asia/Shanghai. */
  timeZone?: string;
  /** Where ledgers persist; default IndexedDB. */
  store?: LedgerStore;
  /**
   * How long the ledger waits for storage to answer at all before it gives up on it for the page; default 500 ms.
   * Once storage has answered, a slow change is other tabs' transactions queued ahead of it, not a broken database:
   * only one silent for {@link HUNG_STORAGE_MS} gives up then.
   */
  storageTimeoutMs?: number;
  /** The wall clock (epoch ms); default `Date.now`. */
  now?: () => number;
  onDiagnostic?: ((diagnostic: LedgerDiagnostic) => void) | undefined;
}

/** A creative's place in the ledger, taken when a slot is allowed to show it. */
export interface Claim {
  readonly subject: Subject;
  /** What the rules count as an exposure. */
  readonly countOn: 'rendered' | 'viewable';
  /** The slot rendered the creative, or it became viewable: counts the exposure if that is what the rules count. */
  expose(moment: 'rendered' | 'viewable'): void;
  /** The slot gave the creative up before it counted (replaced, removed): frees its place, and says if it did. */
  release(): boolean;
  /** The operator closed the creative; with `dontShowAgain`, for good. A close also counts the exposure. */
  close(dontShowAgain: boolean): void;
  /** The operator clicked the creative, which also counts the exposure. */
  click(): void;
}

export type LedgerChoice =
  /** `others`: the candidates after it that the rules allow too, for formats that show several (not claimed). */
  | { creative: Creative; claim: Claim; others: Creative[] }
  /** `ledger-busy`: storage had not finished the check within {@link CHOOSE_WAIT_MS}; nothing is shown. */
  | { reason: CapReason | 'no-candidate' | 'ledger-busy'; refused: { creativeId: string; reason: CapReason }[] };

export interface Ledger {
  /**
   * The first candidate whose rules allow it now, claimed in the same transaction that checked it, so that the
   * operator's tabs cannot together exceed a cap. The slot shows nothing until it answers, so it waits for its
   * transaction {@link CHOOSE_WAIT_MS} at most, then answers `ledger-busy`. Never rejects.
   */
  choose(slotId: string, candidates: readonly Creative[]): Promise<LedgerChoice>;
  /**
   * Counts an exposure of a creative shown without a claim of its own (a carousel's later frame, a card list's
   * other cards: the rules allowed them when the slot chose), when `moment` is what its rules count.
   */
  exposed(slotId: string, creative: Creative, moment: 'rendered' | 'viewable'): void;
  /** What is capped now among the creatives this page has been offered, for the next decision request; undefined when nothing is. */
  digest(): LedgerDigest | undefined;
  /** Releases the claims not yet counted and stops listening; resolves once what it wrote is stored. */
  dispose(): Promise<void>;
  /** What the debug overlay shows: the ledger as this page knows it and each slot's latest choice. */
  inspect(): LedgerInspection;
}

/** The ledger as the debug overlay shows it. */
export interface LedgerInspection {
  namespace: string;
  /** Whether it lost IndexedDB and keeps counts in this page's memory. */
  inMemory: boolean;
  state: LedgerState;
  /** Today in the bank's calendar (days since 1970-01-01), the day whose exposures the daily caps count. */
  today: number;
  /** Each slot's latest choice: the creative shown (if any) and the candidates refused, with their reasons. */
  choices: Record<string, { shown?: string; refused: { creativeId: string; reason: CapReason }[] }>;
  /** The rules of each creative offered to this page, its own and the page's. */
  rules: Record<string, (FrequencyRules | undefined)[]>;
}

/**
 * Forgets every ledger of an operator, on all channels: what a logout on a shared terminal must leave behind.
 * Never rejects.
 */
export async function forgetOperator(operator: string, store: LedgerStore = indexedDbLedgerStore()): Promise<void> {
  await withTimeout(store.forget(`${operator}:`), 500).catch(() => {});
}

/** The ledgers of a page session, whose operator may change (a logout, a switch on a shared terminal). */
export interface SessionLedger {
  /**
   * {@link Ledger.choose} in the ledger of the operator and channel in force; a partner's preview (`preview: true`)
   * is shown as it is, unclaimed and uncounted.
   */
  choose(
    slotId: string,
    candidates: readonly Creative[],
  ): Promise<LedgerChoice | { creative: Creative } | { reason: 'ledger-unavailable' }>;
  /** {@link Ledger.exposed} in the ledger of the operator and channel in force. */
  exposed(slotId: string, creative: Creative, moment: 'rendered' | 'viewable'): void;
  digest(): LedgerDigest | undefined;
  /** Forgets the operator's ledgers on every channel, after the current one has finished writing. */
  forget(operator: string): Promise<void>;
  /** The current ledger for the debug overlay; undefined without configuration. */
  inspect(): LedgerInspection | undefined;
}

export interface SessionLedgerOptions extends Pick<LedgerOptions, 'win' | 'onDiagnostic' | 'store'> {
  /** The page session's configuration as it is now. */
  config: () => OpslotConfig | undefined;
}

/**
 * The ledger a page session checks and records in. It keeps one {@link createLedger} per operator and channel, from
 * the configuration in force: when it names another operator, the previous ledger releases its open claims and
 * stops, so that one operator's counts never apply to another.
 */
export function createSessionLedger({ config, ...options }: SessionLedgerOptions): SessionLedger {
  let current: { namespace: string; ledger: Ledger } | undefined;
  const forNow = () => {
    const page = config();
    if (!page) return undefined;
    const namespace = `${page.operator ?? 'anonymous'}:${page.channel}`;
    if (current?.namespace !== namespace) {
      void current?.ledger.dispose();
      const { timeZone, ...pageRules } = page.frequency ?? {};
      current = {
        namespace,
        ledger: createLedger({ ...options, namespace, timeZone, pageRules: page.frequency && pageRules }),
      };
    }
    return current.ledger;
  };
  return {
    choose: async (slotId, candidates) => {
      // A partner's preview shows whatever the operator's ledger says, and is not counted in it.
      const preview = candidates[0]?.preview ? candidates[0] : undefined;
      if (preview) return { creative: preview };
      return (await forNow()?.choose(slotId, candidates)) ?? { reason: 'ledger-unavailable' };
    },
    exposed: (slotId, creative, moment) => forNow()?.exposed(slotId, creative, moment),
    digest: () => forNow()?.digest(),
    inspect: () => forNow()?.inspect(),
    async forget(operator) {
      const previous = current;
      current = undefined;
      // Its last writes (claims released) land first, so that they cannot bring a forgotten ledger back.
      await previous?.ledger.dispose();
      await forgetOperator(operator, options.store);
    },
  };
}

const CHANNEL_NAME = 'opslot-ledger';
const validateRules = compileSchema(frequencyRulesSchema);
let claims = 0;

/**
 * The frequency ledger of one namespace for this page view.
 *
 * @example
 * const ledger = createLedger({ win: window, namespace: 'op-1234abcd:corporate-web' });
 * const choice = await ledger.choose('home-banner', outcome.candidates);
 * if ('claim' in choice) show(choice.creative); // then ledger.expose(choice.claim, 'viewable') when it is seen
 */
export function createLedger(options: LedgerOptions): Ledger {
  const { win, namespace, onDiagnostic } = options;
  const wallNow = options.now ?? Date.now;
  const firstAnswerTimeout = options.storageTimeoutMs ?? 500;
  let storageAnswered = false;
  const timeout = () => (storageAnswered ? HUNG_STORAGE_MS : firstAnswerTimeout);
  const page: PageView = { counts: new Map(), closed: new Set() };
  const offered = new Map<string, { subject: Subject; rules: (FrequencyRules | undefined)[] }>();
  // Claims of this page not yet counted nor released, by id.
  const open = new Map<string, Subject>();
  const choices: LedgerInspection['choices'] = {};
  const reported = new Set<string>();
  const report = (diagnostic: LedgerDiagnostic) => {
    if (reported.has(diagnostic.code)) return;
    reported.add(diagnostic.code);
    try {
      onDiagnostic?.(diagnostic);
    } catch {
      // A failing diagnostics handler must not stop the ledger.
    }
  };

  let calendar: BankCalendar;
  try {
    calendar = bankCalendar(options.timeZone ?? DEFAULT_TIME_ZONE);
  } catch {
    report({ code: 'ledger-invalid-config', message: `timeZone: not a time zone this browser knows` });
    calendar = bankCalendar(DEFAULT_TIME_ZONE);
  }
  const pageRules = rulesOf(options.pageRules, (message) =>
    report({ code: 'ledger-invalid-config', message: `frequency: ${message}` }),
  );

  // The latest state this page knows of, from its own writes and other tabs' broadcasts.
  let known: LedgerState = emptyLedger();
  let store = options.store ?? indexedDbLedgerStore();
  let inMemory = false;
  const fallBack = (reason: string) => {
    if (inMemory) return;
    inMemory = true;
    store = memoryLedgerStore(new Map([[namespace, structuredClone(known)]]));
    report({ code: 'ledger-storage-unavailable', reason });
  };

  // Read at once, while the decision request is in flight: it opens the database early, finds out early whether it
  // works, and gives digest() what earlier page views recorded.
  withTimeout(store.read(namespace), timeout()).then(
    (stored) => {
      storageAnswered = true;
      if (stored?.v === 1 && stored.clock >= known.clock) known = stored;
    },
    (error: unknown) => fallBack(describe(error)),
  );

  let channel: BroadcastChannel | undefined;
  try {
    channel = new BroadcastChannel(CHANNEL_NAME);
    channel.onmessage = ({ data }: MessageEvent<{ namespace: string; state: LedgerState }>) => {
      if (data?.namespace !== namespace || !(data.state?.clock >= known.clock)) return;
      known = data.state;
      // A tab on memory only keeps what the others tell it: the best it can do without storage.
      if (inMemory) void store.change(namespace, () => structuredClone(data.state));
    };
  } catch {
    // No BroadcastChannel: tabs still share the stored ledger, they only learn of changes on their next check.
  }

  // Changes run one after another, each in its own transaction: a slot's claim and another slot's exposure never
  // interleave within this page, and other tabs' transactions queue in IndexedDB.
  const commit = async <T>(apply: (state: LedgerState, now: number) => T): Promise<T> => {
    let result: T | undefined;
    const attempt = () =>
      store.change(namespace, (stored) => {
        const state = stored?.v === 1 ? stored : emptyLedger();
        const now = advanceClock(state, Math.max(wallNow(), known.clock));
        prune(state, now, calendar);
        result = apply(state, now);
        return state;
      });
    try {
      known = await withTimeout(attempt(), timeout());
      storageAnswered = true;
    } catch (error) {
      // A change that commits after all is left pending in storage, and lapses with its lease: shown less, never
      // more. That is why only storage that never answered, or hung, is given up on.
      fallBack(describe(error));
      known = await attempt();
    }
    try {
      channel?.postMessage({ namespace, state: known });
    } catch {
      // A closed channel: other tabs learn on their next check.
    }
    return result as T;
  };
  let queue: Promise<unknown> = Promise.resolve();
  /**
   * Queues a change. The next one waits for it {@link CHOOSE_WAIT_MS} at most: a claim a slot waits for is not held
   * up for long by an exposure being written, and IndexedDB still runs their transactions in order. With `bounded`,
   * the caller too waits that long at most, and the change goes on in storage.
   */
  const change = <T>(apply: (state: LedgerState, now: number) => T, bounded?: boolean): Promise<T> => {
    const done = queue.then(() => commit(apply));
    const held = queue.then(() => withTimeout(done, CHOOSE_WAIT_MS));
    queue = held.catch(() => {});
    return bounded ? held : done;
  };

  /** This page view's own exposures (claimed ones included), for `page` windows. */
  const countOnPage = (subject: Subject, delta: 1 | -1) => {
    for (const key of Object.values(scopeKeys(subject))) page.counts.set(key, (page.counts.get(key) ?? 0) + delta);
  };

  /** Turns a claim into an exposure (`count`) or gives it up; once. */
  const settle = (id: string, subject: Subject, count: boolean): boolean => {
    if (!open.delete(id)) return false;
    if (!count) {
      countOnPage(subject, -1);
    }
    void change((state, now) => {
      state.pending = state.pending.filter((pending) => pending.id !== id);
      if (count) recordExposure(state, subject, now, calendar);
    }).catch(() => {});
    return true;
  };

  const onPageHide = () => {
    for (const [id, subject] of [...open]) settle(id, subject, false);
  };
  win.addEventListener('pagehide', onPageHide);

  return {
    async choose(slotId, candidates) {
      const refused: { creativeId: string; reason: CapReason }[] = [];
      const others: Creative[] = [];
      const checked = candidates.map((creative) => {
        const subject = subjectOf(creative, slotId);
        const own = rulesOf(creative.frequency, () => {});
        const rules = [own, pageRules];
        offered.set(creative.id, { subject, rules });
        return { creative, subject, rules };
      });
      try {
        const chosen = await change((state, now) => {
          let first: { creative: Creative; subject: Subject; id: string; countOn?: string } | undefined;
          for (const { creative, subject, rules } of checked) {
            const verdict = rules.includes(INVALID)
              ? ({ eligible: false, reason: 'invalid-rule' } as const)
              : evaluateCaps(rules as FrequencyRules[], historyOf(state, subject, now, calendar, page), now);
            if (!verdict.eligible) {
              refused.push({ creativeId: creative.id, reason: verdict.reason });
            } else if (first) {
              others.push(creative);
            } else {
              const id = `${Date.now().toString(36)}-${(claims++).toString(36)}-${Math.random().toString(36).slice(2)}`;
              state.pending.push({ id, keys: Object.values(scopeKeys(subject)), at: now });
              first = { creative, subject, id, countOn: rules.find((rule) => rule?.countOn)?.countOn };
            }
          }
          return first;
        }, true);
        choices[slotId] = { ...(chosen && { shown: chosen.creative.id }), refused };
        if (!chosen) return { reason: refused[0]?.reason ?? 'no-candidate', refused };
        const { id, subject } = chosen;
        countOnPage(subject, 1);
        open.set(id, subject);
        const countOn = chosen.countOn === 'rendered' ? 'rendered' : 'viewable';
        const claim: Claim = {
          subject,
          countOn,
          expose(moment) {
            if (moment === countOn) settle(id, subject, true);
          },
          release: () => settle(id, subject, false),
          close(dontShowAgain) {
            page.closed.add(scopeKeys(subject).campaign);
            settle(id, subject, true);
            void change((state, now) => recordClose(state, subject, now, dontShowAgain)).catch(() => {});
          },
          click() {
            settle(id, subject, true);
            void change((state, now) => recordClick(state, subject, now)).catch(() => {});
          },
        };
        return { creative: chosen.creative, claim, others };
      } catch {
        // Storage is busy with other tabs' transactions (or even memory failed, which it cannot short of a bug):
        // nothing is shown rather than something over its cap. Should the claim commit after all, it lapses with its
        // lease, as any claim never shown: shown less, never more.
        return { reason: 'ledger-busy', refused: [] };
      }
    },
    exposed(slotId, creative, moment) {
      const own = rulesOf(creative.frequency, () => {});
      const countOn = [own, pageRules].find((rule) => rule !== INVALID && rule?.countOn)?.countOn ?? 'viewable';
      if (moment !== countOn) return;
      const subject = subjectOf(creative, slotId);
      countOnPage(subject, 1);
      void change((state, now) => recordExposure(state, subject, now, calendar)).catch(() => {});
    },
    digest() {
      const now = Math.max(wallNow(), known.clock);
      const cappedCreatives = new Set<string>();
      const cappedCampaigns = new Set<string>();
      for (const { subject, rules } of offered.values()) {
        if (rules.includes(INVALID)) continue;
        const history = historyOf(known, subject, now, calendar, page);
        const verdict = evaluateCaps(rules as FrequencyRules[], history, now);
        if (verdict.eligible) continue;
        if (history.dismissed || history.closedThisPage) cappedCampaigns.add(subject.campaignId);
        else cappedCreatives.add(subject.creativeId);
      }
      if (!cappedCreatives.size && !cappedCampaigns.size) return undefined;
      return {
        cappedCreatives: [...cappedCreatives].slice(0, 200),
        cappedCampaigns: [...cappedCampaigns].slice(0, 200),
      };
    },
    inspect: () => ({
      namespace,
      inMemory,
      state: structuredClone(known),
      today: calendar.day(Math.max(wallNow(), known.clock)),
      choices: structuredClone(choices),
      rules: Object.fromEntries(
        [...offered].map(([creativeId, { rules }]) => [
          creativeId,
          rules.map((rule) => (rule === INVALID ? undefined : rule)),
        ]),
      ),
    }),
    async dispose() {
      onPageHide();
      win.removeEventListener('pagehide', onPageHide);
      channel?.close();
      await queue;
    },
  };
}

/** Marks rules that did not pass the schema: a creative under them is not shown. */
const INVALID = Symbol('invalid rules') as unknown as FrequencyRules;

function rulesOf(value: unknown, onInvalid: (message: string) => void): FrequencyRules | undefined {
  if (value === undefined) return undefined;
  const result = validateRules(value);
  if (result.ok) return value as FrequencyRules;
  onInvalid(`${result.path || '/'} ${result.message}`);
  return INVALID;
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** A change storage has not finished in this long, though it answered before, means it hung: go on in memory. */
const HUNG_STORAGE_MS = 10_000;

/**
 * How long a slot waits for its {@link Ledger.choose} transaction once it has begun: the slot shows nothing until
 * then, and under other tabs' load a change can take seconds.
 */
const CHOOSE_WAIT_MS = 1000;

/** Rejects when `promise` has not settled within `ms`: an IndexedDB that never answers counts as a failed one. */

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
