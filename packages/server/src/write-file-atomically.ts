import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/**
 * Writes `data` to `path` through a temporary file beside it, synced, then renamed over `path`: a crash leaves the
 * old file or the whole new one, never half of it. The temporary file is opened with `wx` (never a file someone else
 * put there) and `mode`; on failure it is removed and the error thrown as it came.
 */
export function writeFileAtomically(path: string, data: string | Buffer, mode: number): void {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
