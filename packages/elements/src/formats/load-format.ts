// The one module the entry imports for any format but the banner: it knows which chunk renders which format, so
// the entry carries one import instead of one per format, and each format's code loads only when a decision names it.
// It holds the reporter every format uses, and fetches the rest of their shared code in parallel with the format's
// own chunk, so that a format costs two round trips after the entry, not three.
import type { Creative } from '@opslot/core';
import type { FormatHost, FormatModule } from './format-host.js';
import { FormatReporter } from './format-reporter.js';

const FORMAT_MODULES: Record<string, () => Promise<FormatModule>> = {
  carousel: () => import('./carousel/op-carousel.js'),
  popup: () => import('./popup/op-popup.js'),
  floating: () => import('./floating/op-floating.js'),
  notice: () => import('./notice/op-notice.js'),
  'card-list': () => import('./card-list/op-card-list.js'),
  native: () => import('./native/op-native.js'),
};

/**
 * The element showing `candidates[0]` in its format (with the candidates after it that the format shows too), or
 * undefined when it cannot be shown safely or its format is unknown. Rejects when the format's code fails to load.
 */
export async function createFormat(
  candidates: readonly Creative[],
  host: FormatHost,
): Promise<HTMLElement | undefined> {
  const load =
    candidates[0] && Object.hasOwn(FORMAT_MODULES, candidates[0].format) && FORMAT_MODULES[candidates[0].format];
  if (!load) return undefined;
  // The code every format shares (chrome, asset checks) is fetched alongside the format's own chunk rather than
  // after it, when the browser would find it among that chunk's imports: one round trip instead of two.
  const [module] = await Promise.all([load(), import('./format-element.js')]);
  return module.create(candidates, new FormatReporter(host));
}
