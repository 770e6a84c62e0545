import type { Stats } from 'node:fs';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { contentTypeOf } from './content-type-of.js';

/**
 * Sends a file that the caller has already found with `stat`, with an ETag so that `no-cache` answers are
 * revalidated by a cheap 304 instead of downloaded again.
 */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  stats: Stats,
  headers: Record<string, string>,
): Promise<void> {
  const etag = `W/"${stats.size.toString(16)}-${Math.trunc(stats.mtimeMs).toString(16)}"`;
  const common = { ETag: etag, 'Last-Modified': stats.mtime.toUTCString(), ...headers };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Type': contentTypeOf(path), 'Content-Length': stats.size, ...common });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(path), res);
  } catch {
    // The client went away mid-download, or the file vanished after stat; the status line is already out.
    res.destroy();
  }
}
