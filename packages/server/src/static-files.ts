import type { Stats } from 'node:fs';
import { realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve, sep } from 'node:path';
import { ERROR_CODES, HttpError } from './http-error.js';
import { sendFile } from './send-file.js';

/** Serves the files under `dir` at URLs starting with `urlPrefix`, such as `/examples/`. */
export interface StaticMount {
  urlPrefix: string;
  dir: string;
  /** Extra response headers for every file of the mount, such as a Content-Security-Policy for its pages. */
  headers?: Record<string, string>;
}

export interface StaticFiles {
  /** Serves the raw request path when a mount or the index file covers it; false when none does. */
  serve(req: IncomingMessage, res: ServerResponse, rawPath: string, rawQuery: string): Promise<boolean>;
}

interface ResolvedMount {
  prefix: string;
  root: string;
  headers: Record<string, string>;
}

/** Pages and bundles change on every rebuild and carry no hash in their names: always revalidate (a 304 is cheap). */
const STATIC_HEADERS = { 'Cache-Control': 'no-cache' };

/**
 * Read-only static hosting for the example pages and the SDK bundle. Every path is decoded segment by segment and
 * must stay inside its mount after symlinks are resolved; `..`, dot-files and empty segments are never served.
 *
 * @throws {Error} at start when a mount's directory or the index file does not exist.
 */
export function createStaticFiles(mounts: readonly StaticMount[], indexFile?: string): StaticFiles {
  const resolved = mounts.map(resolveMount).sort((a, b) => b.prefix.length - a.prefix.length);
  const index = indexFile === undefined ? undefined : realFile(indexFile);

  return {
    async serve(req, res, rawPath, rawQuery) {
      if (rawPath === '/' && index !== undefined) {
        const stats = statOrUndefined(index);
        if (!stats?.isFile()) return false;
        await sendFile(req, res, index, stats, STATIC_HEADERS);
        return true;
      }
      const mount = resolved.find(({ prefix }) => rawPath.startsWith(prefix) || rawPath === prefix.slice(0, -1));
      if (!mount) return false;
      if (!rawPath.startsWith(mount.prefix)) {
        redirect(res, `${mount.prefix}${rawQuery}`);
        return true;
      }
      return serveFromMount(req, res, mount, rawPath, rawQuery);
    },
  };
}

async function serveFromMount(
  req: IncomingMessage,
  res: ServerResponse,
  mount: ResolvedMount,
  rawPath: string,
  rawQuery: string,
): Promise<boolean> {
  const target = resolve(mount.root, ...decodeSegments(rawPath.slice(mount.prefix.length)));
  let stats = statOrUndefined(target);
  let file = target;
  if (stats?.isDirectory()) {
    if (!rawPath.endsWith('/')) {
      redirect(res, `${rawPath}/${rawQuery}`);
      return true;
    }
    file = join(target, 'index.html');
    stats = statOrUndefined(file);
  }
  if (!stats?.isFile() || !isInside(mount.root, realpathSync(file))) return false;
  await sendFile(req, res, file, stats, { ...STATIC_HEADERS, ...mount.headers });
  return true;
}

/** Decodes `a/b%20c/` into `['a', 'b c']`, refusing anything that could name a file outside the mount. */
function decodeSegments(relative: string): string[] {
  const segments = relative.split('/');
  if (segments.at(-1) === '') segments.pop();
  return segments.map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new HttpError(400, ERROR_CODES.invalidPath, 'The path is not validly percent-encoded.');
    }
    if (decoded.includes('\0')) throw new HttpError(400, ERROR_CODES.invalidPath, 'The path contains a NUL byte.');
    if (decoded === '' || decoded.startsWith('.') || decoded.includes('/') || decoded.includes('\\')) {
      throw new HttpError(404, ERROR_CODES.notFound, 'Not found.');
    }
    return decoded;
  });
}

function resolveMount({ urlPrefix, dir, headers = {} }: StaticMount): ResolvedMount {
  const prefix = `/${urlPrefix.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
  let root: string;
  try {
    root = realpathSync(dir);
  } catch {
    throw new Error(`Static mount ${prefix}: directory ${resolve(dir)} does not exist.`);
  }
  if (!statSync(root).isDirectory()) throw new Error(`Static mount ${prefix}: ${root} is not a directory.`);
  return { prefix, root, headers };
}

function realFile(path: string): string {
  const absolute = resolve(path);
  if (!statOrUndefined(absolute)?.isFile()) throw new Error(`Index file ${absolute} does not exist.`);
  return realpathSync(absolute);
}

function isInside(root: string, path: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(301, { Location: location, 'Content-Length': 0 });
  res.end();
}
