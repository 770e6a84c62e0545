// The frequency ledger in the browser's real IndexedDB: shared by tabs (same-origin frames here, each with its own
// realm, event loop and database connection), kept across page views, per operator, and still enforcing when
// IndexedDB is missing, failing, silent or full. A fake store appears only to fail in ways a browser rarely does on cue.
import { expect } from '@open-wc/testing';
import { createStore, keys } from 'idb-keyval';
import type { OpslotConfig } from './config.js';
import {
  type Claim,
  createLedger,
  createSessionLedger,
  type LedgerChoice,
  type LedgerDiagnostic,
  type LedgerOptions,
} from './ledger.js';
import type { LedgerState } from './ledger-state.js';
import { indexedDbLedgerStore, type LedgerStore } from './ledger-store.js';
import type { Creative, FrequencyRules } from './protocol.js';

const DAY_CAP: FrequencyRules = { caps: [{ scope: 'creative', max: 3, window: 'day' }], countOn: 'rendered' };
const ONE_A_DAY: FrequencyRules = { caps: [{ scope: 'creative', max: 1, window: 'day' }], countOn: 'rendered' };

function creative(frequency?: FrequencyRules, overrides: Partial<Creative> = {}): Creative {
  return {
    id: 'cr-hengtai-1',
    campaignId: 'camp-hengtai',
    format: 'banner',
    advertiser: { id: 'adv-hengtai', name: '恒泰精密机械' },
    assets: {},
    landingUrl: 'https://partner.example/',
    strategy: 'priority',
    reason: 'test',
    ...(frequency && { frequency }),
    ...overrides,
  };
}

const freshNamespace = () => `op-${crypto.randomUUID()}:corporate-web`;
type Choice = LedgerChoice | { creative: Creative } | { reason: string };
const claimOf = (choice: Choice): Claim | undefined => ('claim' in choice ? choice.claim : undefined);
const reasonOf = (choice: Choice) => ('reason' in choice ? choice.reason : 'shown');
const storedLedger = (namespace: string) => indexedDbLedgerStore().read(namespace);

/** Watches for rejections nobody handled while a test runs. */
function unhandledRejections() {
  const seen: unknown[] = [];
  const listener = (event: PromiseRejectionEvent) => seen.push(event.reason);
  window.addEventListener('unhandledrejection', listener);
  return {
    seen,
    stop: () => window.removeEventListener('unhandledrejection', listener),
  };
}

/** A same-origin frame with the ledger module loaded in its own realm: as good as another tab for IndexedDB. */
async function frameWithLedger(): Promise<{ frame: HTMLIFrameElement; createLedger: typeof createLedger }> {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  await new Promise((resolve) => setTimeout(resolve));
  const url = new URL('./ledger.ts', import.meta.url).href;
  const realm = frame.contentWindow as Window & { eval(code: string): Promise<{ createLedger: typeof createLedger }> };
  const loaded = await realm.eval(`import(${JSON.stringify(url)})`);
  return { frame, createLedger: loaded.createLedger };
}

describe('the frequency ledger', () => {
  it('lets five pages racing 100 renders each show a creative capped at 3 a day exactly 3 times', async function () {
    this.timeout(60_000);
    const namespace = freshNamespace();
    const frames = await Promise.all(Array.from({ length: 5 }, frameWithLedger));
    try {
      const shownPerPage = await Promise.all(
        frames.map(async ({ frame, createLedger: createInFrame }) => {
          const ledger = createInFrame({ win: frame.contentWindow as Window, namespace });
          const choices = await Promise.all(
            Array.from({ length: 100 }, () => ledger.choose('home-banner', [creative(DAY_CAP)])),
          );
          const claims = choices.map(claimOf).filter((claim) => claim !== undefined);
          for (const claim of claims) claim.expose('rendered');
          await ledger.dispose();
          return claims.length;
        }),
      );
      expect(shownPerPage.reduce((total, shown) => total + shown, 0)).to.equal(3);
      const stored = (await storedLedger(namespace)) as LedgerState;
      expect(stored.scopes['c/cr-hengtai-1']?.t).to.equal(3);
      expect(stored.pending).to.deep.equal([]);
    } finally {
      for (const { frame } of frames) frame.remove();
    }
  });

  it('keeps a cap across page views (a reload)', async () => {
    const namespace = freshNamespace();
    const first = createLedger({ win: window, namespace });
    claimOf(await first.choose('home-banner', [creative(ONE_A_DAY)]))?.expose('rendered');
    await first.dispose();

    const afterReload = createLedger({ win: window, namespace });
    expect(reasonOf(await afterReload.choose('home-banner', [creative(ONE_A_DAY)]))).to.equal('capped:day');
    await afterReload.dispose();
  });

  it('resets a daily cap on a new day in Beijing, and not when the clock is moved back a day', async () => {
    const namespace = freshNamespace();
    const lateEvening = Date.UTC(2026, 10, 26, 15, 50); // 23:50 in Beijing
    const at = async (time: number) => {
      const ledger = createLedger({ win: window, namespace, now: () => time });
      const choice = await ledger.choose('home-banner', [creative(ONE_A_DAY)]);
      claimOf(choice)?.expose('rendered');
      await ledger.dispose();
      return reasonOf(choice);
    };
    expect(await at(lateEvening)).to.equal('shown');
    expect(await at(lateEvening + 5 * 60_000)).to.equal('capped:day');
    // 00:10 in Beijing: a new day there, though still the same one in UTC.
    expect(await at(lateEvening + 20 * 60_000)).to.equal('shown');
    expect(await at(lateEvening + 20 * 60_000 - 24 * 3_600_000)).to.equal('capped:day');
  });

  it('keeps operators apart on a shared terminal, and forgets one on logout', async () => {
    const operatorA = `op-a-${crypto.randomUUID()}`;
    const operatorB = `op-b-${crypto.randomUUID()}`;
    let config = { operator: operatorA, channel: 'corporate-web' } as OpslotConfig;
    const session = createSessionLedger({ win: window, config: () => config });

    claimOf(await session.choose('home-banner', [creative(ONE_A_DAY)]))?.expose('rendered');
    expect(reasonOf(await session.choose('home-banner', [creative(ONE_A_DAY)]))).to.equal('capped:day');

    config = { ...config, operator: operatorB };
    const forB = await session.choose('home-banner', [creative(ONE_A_DAY)]);
    expect(reasonOf(forB)).to.equal('shown');
    claimOf(forB)?.expose('rendered');

    const stored = async () =>
      (await keys<string>(createStore('opslot-ledger-v1', 'ledgers'))).filter((key) =>
        [operatorA, operatorB].some((operator) => key.startsWith(`${operator}:`)),
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await stored()).sort()).to.deep.equal([`${operatorA}:corporate-web`, `${operatorB}:corporate-web`].sort());
    await session.forget(operatorA);
    expect(await stored()).to.deep.equal([`${operatorB}:corporate-web`]);
  });

  it('never shows a closed pop-up again on the same page view, nor before its cooldown', async () => {
    const namespace = freshNamespace();
    const week = 7 * 86_400_000;
    const popup = creative({ closeCooldownSeconds: week / 1000 }, { format: 'popup' });
    const time = Date.UTC(2026, 10, 26, 2);
    const page = createLedger({ win: window, namespace, now: () => time });
    claimOf(await page.choose('home-popup', [popup]))?.close(false);
    // Another creative of the same campaign, with no rules of its own: still not on this page view.
    expect(
      reasonOf(await page.choose('home-popup', [creative(undefined, { id: 'cr-other', format: 'popup' })])),
    ).to.equal('closed');
    await page.dispose();

    const nextDay = createLedger({ win: window, namespace, now: () => time + 86_400_000 });
    expect(reasonOf(await nextDay.choose('home-popup', [popup]))).to.equal('cooldown');
    await nextDay.dispose();
    const nextWeek = createLedger({ win: window, namespace, now: () => time + week });
    expect(reasonOf(await nextWeek.choose('home-popup', [popup]))).to.equal('shown');
    await nextWeek.dispose();
  });

  it('shows the next candidate when the first is capped, and tells the server in its digest', async () => {
    const ledger = createLedger({ win: window, namespace: freshNamespace() });
    const capped = creative(ONE_A_DAY);
    const spare = creative(undefined, { id: 'cr-spare' });
    claimOf(await ledger.choose('home-banner', [capped, spare]))?.expose('rendered');
    const second = await ledger.choose('home-banner', [capped, spare]);
    expect('creative' in second && second.creative.id).to.equal('cr-spare');
    expect(ledger.digest()).to.deep.equal({ cappedCreatives: ['cr-hengtai-1'], cappedCampaigns: [] });
    await ledger.dispose();
  });

  it('counts a viewable exposure only once it is viewable, and frees the place of one never seen', async () => {
    const namespace = freshNamespace();
    const ledger = createLedger({ win: window, namespace });
    const viewableOnce = creative({ caps: [{ scope: 'creative', max: 1, window: 'day' }] });
    const claim = claimOf(await ledger.choose('home-banner', [viewableOnce]));
    claim?.expose('rendered');
    // Claimed, it holds its place: another slot cannot take it meanwhile.
    expect(reasonOf(await ledger.choose('home-side', [viewableOnce]))).to.equal('capped:day');
    expect(claim?.release()).to.equal(true);
    const again = claimOf(await ledger.choose('home-side', [viewableOnce]));
    again?.expose('viewable');
    await ledger.dispose();
    expect((await storedLedger(namespace))?.scopes['c/cr-hengtai-1']?.t).to.equal(1);
  });

  it("counts a carousel's later frame as an exposure of its own, at the moment its rules count", async () => {
    const namespace = freshNamespace();
    const ledger = createLedger({ win: window, namespace });
    const frame = creative(ONE_A_DAY, { id: 'cr-frame-2', format: 'carousel' });
    ledger.exposed('home-carousel', frame, 'viewable');
    expect(reasonOf(await ledger.choose('home-carousel', [frame]))).to.equal('shown');
    ledger.exposed('home-carousel', frame, 'rendered');
    await ledger.dispose();
    const stored = (await storedLedger(namespace)) as LedgerState;
    expect(stored.scopes['c/cr-frame-2']?.t).to.equal(1);
    const nextPage = createLedger({ win: window, namespace });
    expect(reasonOf(await nextPage.choose('home-carousel', [frame]))).to.equal('capped:day');
    await nextPage.dispose();
  });

  it('refuses a creative whose rules break the schema, and reports the page rules that do', async () => {
    const diagnostics: LedgerDiagnostic[] = [];
    const ledger = createLedger({
      win: window,
      namespace: freshNamespace(),
      pageRules: { caps: [{ scope: 'everyone', max: 1, window: 'day' }] },
      onDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
    });
    expect(reasonOf(await ledger.choose('home-banner', [creative()]))).to.equal('invalid-rule');
    expect(diagnostics.map(({ code }) => code)).to.deep.equal(['ledger-invalid-config']);
    await ledger.dispose();

    const withoutPageRules = createLedger({ win: window, namespace: freshNamespace() });
    const broken = creative({ caps: [{ scope: 'creative', max: 0, window: 'day' }] });
    expect(reasonOf(await withoutPageRules.choose('home-banner', [broken]))).to.equal('invalid-rule');
    await withoutPageRules.dispose();
  });

  it('waits for a slow change once storage has answered: other tabs’ transactions queue ahead, nothing is broken', async () => {
    const namespace = freshNamespace();
    const real = indexedDbLedgerStore();
    let changes = 0;
    // The first change answers at once; the next ones take three times the storage timeout, as when 500 claims of
    // five tabs queue in IndexedDB on a busy machine.
    const slowAfterFirst: LedgerStore = {
      ...real,
      change: async (name, apply) => {
        if (changes++ > 0) await new Promise((resolve) => setTimeout(resolve, 300));
        return real.change(name, apply);
      },
    };
    const diagnostics: LedgerDiagnostic[] = [];
    const ledger = createLedger({
      win: window,
      namespace,
      store: slowAfterFirst,
      storageTimeoutMs: 100,
      onDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
    });
    const choices = await Promise.all(
      Array.from({ length: 4 }, () => ledger.choose('home-banner', [creative(DAY_CAP)])),
    );
    expect(choices.map(reasonOf)).to.deep.equal(['shown', 'shown', 'shown', 'capped:day']);
    for (const claim of choices.map(claimOf)) claim?.expose('rendered');
    await ledger.dispose();
    expect(diagnostics).to.deep.equal([]);
    // Every claim is where other tabs see it: in storage, counted, none left pending.
    const stored = (await storedLedger(namespace)) as LedgerState;
    expect(stored.scopes['c/cr-hengtai-1']?.t).to.equal(3);
    expect(stored.pending).to.deep.equal([]);
  });

  it('answers ledger-busy for a choice whose change takes longer than a second, and keeps storage', async function () {
    this.timeout(5000);
    const namespace = freshNamespace();
    const real = indexedDbLedgerStore();
    let changes = 0;
    let slowChange: Promise<LedgerState> | undefined;
    // The third change (the second choice, after the first one's exposure) waits 1.5 s before its transaction, as
    // behind other tabs' queued ones.
    const secondChoiceSlow: LedgerStore = {
      ...real,
      change: (name, apply) => {
        if (++changes !== 3) return real.change(name, apply);
        slowChange = new Promise((resolve) => setTimeout(resolve, 1500)).then(() => real.change(name, apply));
        return slowChange;
      },
    };
    const diagnostics: LedgerDiagnostic[] = [];
    const ledger = createLedger({
      win: window,
      namespace,
      store: secondChoiceSlow,
      onDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
    });
    const first = await ledger.choose('home-banner', [creative(DAY_CAP)]);
    claimOf(first)?.expose('rendered');
    const second = await ledger.choose('home-banner', [creative(DAY_CAP)]);
    const third = await ledger.choose('home-banner', [creative(DAY_CAP)]);
    claimOf(third)?.expose('rendered');
    expect([first, second, third].map(reasonOf)).to.deep.equal(['shown', 'ledger-busy', 'shown']);

    await slowChange;
    await ledger.dispose();
    expect(diagnostics).to.deep.equal([]);
    expect(ledger.inspect().inMemory).to.equal(false);
    // The busy choice's claim committed late: it holds a place until its lease lapses, and is never counted.
    const stored = (await storedLedger(namespace)) as LedgerState;
    expect(stored.scopes['c/cr-hengtai-1']?.t).to.equal(2);
    expect(stored.pending).to.have.length(1);
  });

  it('keeps 10,000 exposures under 64 KB and reports how long 20 slots take to check', async () => {
    const namespace = freshNamespace();
    const ledger = createLedger({ win: window, namespace, storageTimeoutMs: 5000 });
    const start = Date.UTC(2026, 10, 20);
    // Build the history in one transaction per exposure would take minutes; the store's state is what matters.
    const { advanceClock, recordExposure, prune, emptyLedger } = await import('./ledger-state.js');
    const { bankCalendar } = await import('./bank-calendar.js');
    const calendar = bankCalendar('Asia/Shanghai');
    const state = emptyLedger();
    for (let index = 0; index < 10_000; index++) {
      const now = advanceClock(state, start + index * 60_000);
      prune(state, now, calendar);
      recordExposure(
        state,
        {
          creativeId: `cr-${index % 40}`,
          campaignId: `camp-${index % 10}`,
          advertiserId: `adv-${index % 8}`,
          format: ['banner', 'popup', 'notice', 'native'][index % 4] as string,
          slotId: `slot-${index % 6}`,
        },
        now,
        calendar,
      );
    }
    const bytes = new TextEncoder().encode(JSON.stringify(state)).length;
    console.log(`ledger after 10,000 exposures: ${bytes} bytes of JSON`);
    expect(bytes).to.be.below(64 * 1024);

    await indexedDbLedgerStore().change(namespace, () => state);
    const candidates = Array.from({ length: 20 }, (_, index) =>
      creative(DAY_CAP, { id: `cr-${index}`, campaignId: `camp-${index % 10}` }),
    );
    const began = performance.now();
    await Promise.all(candidates.map((candidate, index) => ledger.choose(`slot-${index}`, [candidate])));
    console.log(`checking and claiming 20 slots: ${(performance.now() - began).toFixed(1)} ms`);
    await ledger.dispose();
  });
});

describe('the frequency ledger without working IndexedDB', () => {
  /** Two checks of a creative allowed once a day: the second must be refused, storage or not. */
  async function enforcesInMemory(options: Partial<LedgerOptions>, restore = () => {}) {
    const rejections = unhandledRejections();
    const diagnostics: LedgerDiagnostic[] = [];
    try {
      const ledger = createLedger({
        win: window,
        namespace: freshNamespace(),
        storageTimeoutMs: 100,
        onDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
        ...options,
      });
      const first = await ledger.choose('home-banner', [creative(ONE_A_DAY)]);
      claimOf(first)?.expose('rendered');
      const second = await ledger.choose('home-banner', [creative(ONE_A_DAY)]);
      await ledger.dispose();
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(reasonOf(first)).to.equal('shown');
      expect(reasonOf(second)).to.equal('capped:day');
      expect(diagnostics.map(({ code }) => code)).to.deep.equal(['ledger-storage-unavailable']);
      expect(rejections.seen).to.deep.equal([]);
    } finally {
      restore();
      rejections.stop();
    }
  }

  /** Replaces `indexedDB.open` for one test (idb-keyval opens through the global factory). */
  function replaceOpen(open: () => IDBOpenDBRequest) {
    const original = Object.getOwnPropertyDescriptor(IDBFactory.prototype, 'open') as PropertyDescriptor;
    Object.defineProperty(IDBFactory.prototype, 'open', { configurable: true, value: open });
    return () => Object.defineProperty(IDBFactory.prototype, 'open', original);
  }

  /** A real IndexedDB store that fails every change with the given DOMException. */
  function failingChanges(name: string, message: string): LedgerStore {
    const real = indexedDbLedgerStore();
    return {
      ...real,
      change: async () => {
        throw new DOMException(message, name);
      },
    };
  }

  it('works without indexedDB at all', async () => {
    const original = Object.getOwnPropertyDescriptor(window, 'indexedDB') as PropertyDescriptor;
    Object.defineProperty(window, 'indexedDB', { configurable: true, value: undefined });
    await enforcesInMemory({}, () => Object.defineProperty(window, 'indexedDB', original));
  });

  it('works when opening the database throws', async () => {
    await enforcesInMemory(
      {},
      replaceOpen(() => {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      }),
    );
  });

  it('works when opening the database never completes (gives up after the timeout)', async () => {
    await enforcesInMemory(
      {},
      replaceOpen(() => ({}) as IDBOpenDBRequest),
    );
  });

  it('works when the connection closes underneath', async () => {
    await enforcesInMemory({ store: failingChanges('InvalidStateError', 'The database connection is closing.') });
  });

  it('works when the quota is exceeded', async () => {
    await enforcesInMemory({ store: failingChanges('QuotaExceededError', 'The quota has been exceeded.') });
  });
});
