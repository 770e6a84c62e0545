import type { Stats } from 'node:fs';
import { statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { CREATIVE_ASSET_PREFIX } from './creative-asset-url.js';
import { sendFile } from './send-file.js';

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.svg$/;

const ASSET_HEADERS = {
  // An SVG opened on its own is a document: nothing in it may run or load.
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  // Bank pages on other origins embed these images, also under Cross-Origin-Embedder-Policy.
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/**
 * `GET /assets/creatives/<file>.svg`: the seed's creative images. Decisions link them with a content hash in the
 * query, so those URLs are cached as immutable; a bare URL is cached for an hour.
 */
export async function serveCreativeAsset(
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
  rawQuery: string,
  creativesDir: string,
): Promise<boolean> {
  const name = rawPath.slice(CREATIVE_ASSET_PREFIX.length);
  if (!FILE_NAME.test(name)) return false;
  const path = join(creativesDir, name);
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    return false;
  }
  if (!stats.isFile()) return false;
  const cacheControl = /[?&]v=/.test(rawQuery) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600';
  await sendFile(req, res, path, stats, { ...ASSET_HEADERS, 'Cache-Control': cacheControl });
  return true;
}
