// The page session behind the studio's live previews: it lets the real `<op-slot>` and format elements of
// @opslot/elements show the creative being made, decided here in the browser instead of by the decision endpoint.
// A preview is nobody's exposure, so it measures nothing, claims nothing in the frequency ledger and sends nothing.
import { type Creative, type Opslot, resolveConfig, toSafeUrl } from '@opslot/core';

export interface PreviewSessionOptions {
  /** The partner API's URL: the creative's relative asset URLs (uploads) resolve against it. */
  endpoint: string;
  channel: string;
  locale: string;
  /** The creative to show in every slot that asks, as it stands when the slot asks. */
  creative: () => Creative | undefined;
}

/** A session whose every slot shows `creative()` as it stands when the slot asks (the studio re-creates its slots). */
export function createPreviewSession(options: PreviewSessionOptions): Opslot {
  const { config } = resolveConfig(
    [
      {
        endpoint: options.endpoint,
        channel: options.channel,
        pageId: 'partner-studio',
        lazyLoad: false,
        leaveNotice: false,
      },
    ],
    { locale: options.locale, baseUrl: document.baseURI },
  );
  let decisions = 0;
  return {
    configure() {},
    config,
    async decide() {
      const creative = options.creative();
      decisions += 1;
      return creative
        ? { kind: 'filled', decisionId: `studio-preview-${decisions}`, ttl: 0, candidates: [creative] }
        : { kind: 'empty', reason: 'no-fill' };
    },
    choose: async (_slotId, candidates) => (candidates[0] ? { creative: candidates[0] } : { reason: 'no-candidate' }),
    ledger: async () => undefined,
    measurement: async () => undefined,
    resolveUrl: (raw) => (config ? toSafeUrl(raw, config.endpoint) : null),
  };
}
