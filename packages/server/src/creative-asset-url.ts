import type { CatalogueImage } from './catalogue.js';

/** Where the server publishes the seed's creative images. */
export const CREATIVE_ASSET_PREFIX = '/assets/creatives/';

/**
 * The image's path on this server (a partner upload's own URL, which is its content hash). The content hash in the query makes the URL change whenever the file does,
 * so the image can be cached as immutable. Browsers resolve the path against the decision endpoint.
 */
export function creativeAssetUrl(image: CatalogueImage): string {
  if (image.url !== undefined) return image.url;
  return `${CREATIVE_ASSET_PREFIX}${encodeURIComponent(image.file)}?v=${image.hash}`;
}
