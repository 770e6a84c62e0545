import { randomFillSync } from 'node:crypto';

const POOL = Buffer.alloc(16 * 256);
let poolOffset = POOL.length;

/**
 * A UUID version 7 (RFC 9562): the first 48 bits are `now` in milliseconds, the remaining 74 are random, so ids made
 * later sort later. Decision ids are the audit table's key: random (version 4) keys landed each new row on a random
 * page of the key's index, and a batch of 50 audit rows dirtied up to 50 pages of it; time-ordered ones append.
 *
 * @example
 * timeOrderedUuid(Date.now()); // '019ac3f4-1b2e-7c1d-9a3b-5e6f7a8b9c0d'
 */
export function timeOrderedUuid(now: number): string {
  // Random bytes for 256 ids at a time, as crypto.randomUUID does: a call into the generator costs more than an id.
  if (poolOffset === POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const bytes = POOL.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  bytes.writeUIntBE(Math.max(0, Math.floor(now)) % 2 ** 48, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
