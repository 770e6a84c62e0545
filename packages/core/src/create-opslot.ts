import { type ConfigError, type ConfigProblem, checkConfig, isQuiet, type OpslotConfig } from './config.js';
import { createDecisionBatcher, EMPTY_REASONS, type SlotOutcome } from './decision-batcher.js';
import { createDecisionClient } from './decision-client.js';
import { endpointUrl } from './endpoint-url.js';
import type { Claim, LedgerDiagnostic, SessionLedger } from './ledger.js';
import type { SessionMeasurement } from './measurement.js';
import type { OutboxDiagnostic } from './outbox.js';
import { type BeaconEvent, type Creative, PROTOCOL_VERSION, type SlotRequest } from './protocol.js';
import { toSafeUrl } from './safe-url.js';
import type { SignatureVerifier } from './verify-signature.js';

/** What a slot reports; the page session adds the id, time, channel and page. */
export type TrackedEvent = Omit<BeaconEvent, 'id' | 'ts' | 'channel' | 'pageId'>;

/**
 * A problem of the page session itself: lazily loaded code (measurement, the frequency ledger) could not be loaded,
 * or the server refused the page's preview token (expired, forged, or for a slot the page does not have).
 */
export interface SessionDiagnostic {
  code: 'measurement-unavailable' | 'ledger-unavailable' | 'preview-refused';
  message: string;
}

/**
 * What a slot may show of its candidates: a creative, with its claim in the frequency ledger when rules apply to it
 * and the candidates after it that the rules allow too, or the reason none may be shown now (a frequency reason code
 * such as `capped:day`).
 */
export type SlotChoice = { creative: Creative; claim?: Claim; others?: Creative[] } | { reason: string };

export interface OpslotOptions {
  /** The window whose document, location and lifecycle the session follows. */
  win: Window;
  /** Configuration read before the first slot asks (e.g. the page's JSON block), applied first. */
  configInputs?: unknown[];
  fetch?: typeof fetch;
  /**
   * Called as each decision request leaves (so never on a quiet page), so that what showing its creatives needs can
   * load while it is in flight.
   */
  onRequest?: () => void;
  /** Called with every problem that is not any one slot's: bad configuration, refused events. */
  onDiagnostic?: (diagnostic: ConfigError | OutboxDiagnostic | LedgerDiagnostic | SessionDiagnostic) => void;
}

/** One page view's conversation with the decision endpoint and the collector, shared by all its slots. */
export interface Opslot {
  /** Adds configuration; later calls override earlier ones field by field. */
  configure(input: unknown): void;
  /** The configuration in force, or undefined while it is missing or invalid. */
  readonly config: OpslotConfig | undefined;
  /**
   * Asks for a slot's creatives; slots asking in the same task share one request. On a quiet page, and while the
   * bank's kill switch for the slot is on, it answers `empty` without asking. Never rejects.
   */
  decide(slot: SlotRequest, signal?: AbortSignal): Promise<SlotOutcome>;
  /**
   * The creative a slot may show among its decision's candidates (one or more), the first in their order that the
   * frequency rules (its own and the page's) allow, checked and claimed in the operator's ledger. Never rejects.
   */
  choose(slotId: string, candidates: readonly Creative[]): Promise<SlotChoice>;
  /** The session's frequency ledgers, loaded on first use; undefined when their code could not load. */
  ledger(): Promise<SessionLedger | undefined>;
  /**
   * The session's measurement, loaded on first use (as the first decision request leaves, on most pages); undefined
   * when its code could not load. Its journal feeds the debug overlay and its `decidedAt` refresh()'s pace; events go
   * through it with `trackEvent` and `observeViewable` (session-measurement.ts).
   */
  measurement(): Promise<SessionMeasurement | undefined>;
  /** Resolves a URL from a decision against the endpoint; null unless it is safe to load or follow. */
  resolveUrl(raw: string): URL | null;
}

/**
 * Creates the page session behind every `<op-slot>` of a page. Configuration is resolved lazily, when the
 * first batch of slots is sent, so that `configure()` from a module that runs after the SDK still applies.
 *
 * @example
 * const opslot = createOpslot({ win: window, configInputs: [readConfigBlock(document)] });
 * const outcome = await opslot.decide({ id: 'home-banner', sizes: [[960, 240]], formats: ['banner'] });
 */
export function createOpslot(options: OpslotOptions): Opslot {
  const { win, onDiagnostic } = options;
  const fetchImpl = options.fetch ?? win.fetch.bind(win);
  const inputs = [...(options.configInputs ?? [])];
  let resolved: { config?: OpslotConfig; problems: ConfigProblem[] } | undefined;
  let measurement: Promise<SessionMeasurement | undefined> | undefined;
  let verifier: Promise<SignatureVerifier> | undefined;
  // The frequency ledgers; `ledgerReady` once their code has loaded, for the requests' digest.
  let sessionLedger: Promise<SessionLedger | undefined> | undefined;
  let ledgerReady: SessionLedger | undefined;
  // Until when (epoch ms) each slot's kill switch holds.
  const switchedOffUntil = new Map<string, number>();

  const measure = () => {
    measurement ??= import('./measurement.js').then(
      (loaded) =>
        loaded.createSessionMeasurement({ win, fetch: fetchImpl, onDiagnostic, config: () => current().config }),
      () => {
        onDiagnostic?.({ code: 'measurement-unavailable', message: 'measurement code did not load' });
        return undefined;
      },
    );
    return measurement;
  };

  const ledgers = () => {
    sessionLedger ??= import('./ledger.js').then(
      (loaded) => (ledgerReady = loaded.createSessionLedger({ win, onDiagnostic, config: () => current().config })),
      () => {
        onDiagnostic?.({ code: 'ledger-unavailable', message: 'ledger code did not load' });
        return undefined;
      },
    );
    return sessionLedger;
  };

  const current = () => {
    resolved ??= checkConfig(inputs, {
      locale: win.document.documentElement.lang || 'zh-CN',
      baseUrl: win.location.href,
    });
    return resolved;
  };

  const batcher = createDecisionBatcher({
    send: async (slots, signal) => {
      const { config, problems } = current();
      if (!config) {
        // Reported when slots are about to ask, not while the page may still be configuring (a module that calls
        // configure() after the SDK has defined its slots). Their codes and words load only now, so that a page
        // configured right never fetches them; should they not load, each is `config-invalid` with what it is about.
        // The fallback also catches a throw while describing them, so the diagnostics go out whatever happens.
        const errors: ConfigError[] = await import('./describe-config-problem.js')
          .then(({ describeConfigProblem }) => problems.map(describeConfigProblem))
          .catch(() =>
            problems.map(({ field, kind }): ConfigError => ({ code: 'config-invalid', message: `${field}: ${kind}` })),
          );
        for (const error of errors) onDiagnostic?.(error);
        // checkConfig gives no configuration only with a problem, so there is a first error.
        return { ok: false, ...(errors[0] as ConfigError) };
      }
      const digest = ledgerReady?.digest();
      const { publicKey } = config;
      // Only pages that pin a key pay for the signature code; it loads while the decision request is in flight.
      if (publicKey) {
        verifier ??= import('./verify-signature.js').then((loaded) => loaded.createSignatureVerifier(publicKey));
      }
      const verify = publicKey && verifier;
      const client = createDecisionClient({
        endpoint: endpointUrl(config.endpoint, 'decisions'),
        fetch: fetchImpl,
        timeoutMs: config.timeoutMs,
        ...(verify && { verify: async (signature, body) => (await verify)(signature, body) }),
      });
      const viewport = { width: win.innerWidth, height: win.innerHeight };
      // QA's forced creatives and a partner's preview token: their code loads only on a page whose URL names one;
      // should it not load, the request goes as it would without the parameters.
      const { search } = win.location;
      const pageQuery = /[?&]opslot_(force|preview)=/.test(search)
        ? import('./page-query.js').catch(() => undefined)
        : undefined;
      const decision = client.decide(
        {
          v: PROTOCOL_VERSION,
          page: { channel: config.channel, pageId: config.pageId, locale: config.locale, viewport },
          slots,
          ...(config.operator ? { operator: config.operator } : {}),
          consent: { personalized: config.personalized },
          ...(await pageQuery)?.fieldsOf(search),
          ...(digest && { ledger: digest }),
        },
        signal,
      );
      // Fetched while the request is in flight, and only once it has left: the measurement, the ledger, so that
      // capped creatives show as fast as the others, and whatever the page asked for.
      void measure();
      void ledgers();
      options.onRequest?.();
      const result = await decision;
      (await pageQuery)?.reportRefusal(result, onDiagnostic);
      return result;
    },
  });

  /** A slot's outcome: none asked while its kill switch holds, else the batched decision's. */
  const decideSlot = async (slot: SlotRequest, signal?: AbortSignal): Promise<SlotOutcome> => {
    if (Date.now() < (switchedOffUntil.get(slot.id) ?? 0)) return { kind: 'empty', reason: EMPTY_REASONS.disabled };
    const outcome = await batcher.request(slot, signal);
    if (outcome.kind === 'empty' && outcome.reason === EMPTY_REASONS.disabled) {
      switchedOffUntil.set(slot.id, Date.now() + (outcome.ttl ?? 0) * 1000);
    }
    return outcome;
  };

  return {
    configure(input) {
      inputs.push(input);
      resolved = undefined;
      verifier = undefined;
    },
    get config() {
      return current().config;
    },
    async decide(slot, signal) {
      const { config } = current();
      // A quiet page (transfer confirmation, signing) asks nothing and loads nothing more, not even measurement.
      if (config && isQuiet(config, win.location.pathname)) return { kind: 'empty', reason: EMPTY_REASONS.quietZone };
      const askedAt = Date.now();
      const outcome = await decideSlot(slot, signal);
      void measure().then((loaded) => loaded?.decided(slot.id, outcome, askedAt));
      return outcome;
    },
    async choose(slotId, candidates) {
      // Without rules, a banner needs no ledger; anything that can be closed does, for the closes it must remember.
      const ruled =
        current().config?.frequency ||
        candidates.some((creative) => creative.frequency || creative.format !== 'banner');
      if (!ruled) return { creative: candidates[0] as Creative };
      // Rules that cannot be enforced are not broken: nothing is shown.
      return (await ledgers())?.choose(slotId, candidates) ?? { reason: 'ledger-unavailable' };
    },
    ledger: ledgers,
    measurement: measure,
    resolveUrl(raw) {
      const { config } = current();
      return config ? toSafeUrl(raw, endpointUrl(config.endpoint, '')) : null;
    },
  };
}
