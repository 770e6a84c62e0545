import { createOpslot, type Opslot, readConfigBlock } from '@opslot/core';

let session: Opslot | undefined;

/** Where the operator's "turn off personalised content" choice is kept, so it holds on every page of the bank. */
export const PERSONALIZED_KEY = 'opslot:v1:personalized';

/**
 * The page-wide session that every `<op-slot>` shares unless it is given its own. It is created when the
 * first slot asks, after the document is parsed, so the page's `#opslot-config` block is there to read.
 */
export function pageSession(): Opslot {
  session ??= createOpslot({
    win: window,
    // The operator's own choice comes after the page's configuration, so that it wins.
    configInputs: [readConfigBlock(document), storedPersonalization()],
    // The reporter, which says op-render once a creative is on screen, loads while the decision is in flight rather
    // than after the first image has loaded (the time to the first creative, docs/benchmarks.md). Should it fail to
    // load now, it is asked for again when needed.
    onRequest: () => void import('./formats/format-reporter.js').catch(() => {}),
    // Problems that belong to no single slot (bad configuration, refused events) reach the page as one
    // event it can log or forward to its monitoring; they never throw.
    onDiagnostic: (detail) => document.dispatchEvent(new CustomEvent('op-diagnostic', { detail })),
  });
  return session;
}

/**
 * Adds page configuration from a module, for pages that prefer code over the JSON block.
 * Calls made before the first slots are sent apply to them; later calls apply to later requests.
 *
 * @example
 * import { configure } from '/sdk/opslot.js';
 * configure({ endpoint: 'https://ads.bank.example/v1', channel: 'corporate-web', pageId: 'home' });
 */
export function configure(input: unknown): void {
  pageSession().configure(input);
}

function storedPersonalization(): { personalized: false } | undefined {
  try {
    return localStorage.getItem(PERSONALIZED_KEY) === '0' ? { personalized: false } : undefined;
  } catch {
    return undefined;
  }
}
