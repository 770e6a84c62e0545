import { type ConfigError, type OpslotConfig, resolveConfig } from './config.js';
import { createDecisionBatcher, type SlotOutcome } from './decision-batcher.js';
import { createDecisionClient } from './decision-client.js';
import { createEventId } from './event-id.js';
import type { Outbox, OutboxDiagnostic } from './outbox.js';
import { type BeaconEvent, PROTOCOL_VERSION, type SlotRequest, type ViewabilityMethod } from './protocol.js';
import { toSafeUrl } from './safe-url.js';

/** What a slot reports; the page session adds the id, time, channel and page. */
export type TrackedEvent = Omit<BeaconEvent, 'id' | 'ts' | 'channel' | 'pageId'>;

/** A problem of the page session itself: the lazily loaded measurement code could not be loaded. */
export interface SessionDiagnostic {
  code: 'measurement-unavailable';
  message: string;
}

export interface OpslotOptions {
  /** The window whose document, location and lifecycle the session follows. */
  win: Window;
  /** Configuration read before the first slot asks (e.g. the page's JSON block), applied first. */
  configInputs?: unknown[];
  fetch?: typeof fetch;
  /** Called with every problem that is not any one slot's: bad configuration, refused events. */
  onDiagnostic?: (diagnostic: ConfigError | OutboxDiagnostic | SessionDiagnostic) => void;
}

/** One page view's conversation with the decision endpoint and the collector, shared by all its slots. */
export interface Opslot {
  /** Adds configuration; later calls override earlier ones field by field. */
  configure(input: unknown): void;
  /** The configuration in force, or undefined while it is missing or invalid. */
  readonly config: OpslotConfig | undefined;
  /** Asks for a slot's creatives; slots asking in the same frame share one request. Never rejects. */
  decide(slot: SlotRequest, signal?: AbortSignal): Promise<SlotOutcome>;
  /** Queues a measurement event for the collector. Dropped when there is no valid configuration. */
  track(event: TrackedEvent): void;
  /**
   * Watches a shown creative until it makes a viewable exposure (MRC: ≥50 % of its pixels, one continuous second,
   * visible focused tab), then calls back once. Returns a function that stops watching.
   */
  observeViewability(element: Element, onViewable: (method: ViewabilityMethod) => void): () => void;
  /** Resolves a URL from a decision against the endpoint; null unless it is safe to load or follow. */
  resolveUrl(raw: string): URL | null;
  /** Sends the queued events now, e.g. before a single-page app logs the operator out. Never rejects. */
  flush(): Promise<void>;
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
  let resolved: { config?: OpslotConfig; errors: ConfigError[] } | undefined;
  let outbox: Outbox | undefined;
  let measurement: Promise<typeof import('./measurement.js') | undefined> | undefined;

  const loadMeasurement = () => {
    measurement ??= import('./measurement.js').catch(() => {
      onDiagnostic?.({ code: 'measurement-unavailable', message: 'the measurement code of opslot did not load' });
      return undefined;
    });
    return measurement;
  };

  const current = () => {
    if (!resolved) {
      resolved = resolveConfig(inputs, {
        locale: win.document.documentElement.lang || 'zh-CN',
        baseUrl: win.location.href,
      });
      for (const error of resolved.errors) onDiagnostic?.(error);
    }
    return resolved;
  };

  const endpointUrl = (config: OpslotConfig, path: string) =>
    new URL(path, new URL(config.endpoint.replace(/\/?$/, '/'), win.location.href));

  const batcher = createDecisionBatcher({
    send: async (slots, signal) => {
      void loadMeasurement();
      const { config, errors } = current();
      if (!config) {
        const first = errors[0];
        return {
          ok: false,
          code: first?.code ?? 'config-missing',
          message: first?.message ?? 'opslot is not configured',
        };
      }
      const client = createDecisionClient({
        endpoint: endpointUrl(config, 'decisions'),
        fetch: fetchImpl,
        timeoutMs: config.timeoutMs,
      });
      const viewport = { width: win.innerWidth, height: win.innerHeight };
      return client.decide(
        {
          v: PROTOCOL_VERSION,
          page: { channel: config.channel, pageId: config.pageId, locale: config.locale, viewport },
          slots,
          ...(config.operator ? { operator: config.operator } : {}),
          consent: { personalized: config.personalized },
        },
        signal,
      );
    },
  });

  const outboxFor = (config: OpslotConfig, { createOutbox, onPageHide }: typeof import('./measurement.js')) => {
    if (!outbox) {
      const created = createOutbox({
        endpoint: endpointUrl(config, 'events'),
        fetch: fetchImpl,
        sendBeacon: (url, body) => win.navigator.sendBeacon(url, body),
        onDiagnostic,
      });
      onPageHide(win, () => void created.flush('unload'));
      outbox = created;
    }
    return outbox;
  };

  return {
    configure(input) {
      inputs.push(input);
      resolved = undefined;
    },
    get config() {
      return current().config;
    },
    decide: (slot, signal) => batcher.request(slot, signal),
    track(event) {
      const { config } = current();
      if (!config) return;
      // The id and time are fixed now, when the event happens, not when the outbox code has arrived.
      const complete: BeaconEvent = {
        ...event,
        id: createEventId(),
        ts: Date.now(),
        channel: config.channel,
        pageId: config.pageId,
      };
      void loadMeasurement().then((loaded) => loaded && outboxFor(config, loaded).add(complete));
    },
    observeViewability(element, onViewable) {
      let stop: (() => void) | undefined;
      let stopped = false;
      void loadMeasurement().then((loaded) => {
        if (loaded && !stopped) stop = loaded.observeViewability(element, { onViewable });
      });
      return () => {
        stopped = true;
        stop?.();
      };
    },
    flush: async () => {
      // Events tracked just before may still be waiting for the measurement code.
      await measurement;
      await outbox?.flush();
    },
    resolveUrl(raw) {
      const { config } = current();
      return config ? toSafeUrl(raw, endpointUrl(config, '')) : null;
    },
  };
}
