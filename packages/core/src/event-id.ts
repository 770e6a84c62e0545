/** Fills `bytes` with random values in place, like `crypto.getRandomValues`. */
export type FillRandom = (bytes: Uint8Array<ArrayBuffer>) => unknown;

/**
 * A new event id: a random UUID v4 such as `'3b241101-e2bb-4255-8caf-4136c566a962'`, which matches the
 * protocol's id pattern. The collector de-duplicates on it, so it is created once per event and kept across retries.
 *
 * Uses `crypto.randomUUID` where the page has it; it exists only in secure contexts, and a bank's intranet
 * test page may be plain http, so otherwise the UUID is built from `crypto.getRandomValues`, which every context has.
 *
 * @param getRandomValues - source of random bytes; defaults to the page's `crypto`. Tests pass a deterministic one.
 * @example
 * const event = { id: createEventId(), type: 'click', ts: Date.now(), ... };
 */
export function createEventId(getRandomValues?: FillRandom): string {
  if (!getRandomValues && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  (getRandomValues ?? ((b: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(b)))(bytes);
  // RFC 9562 §5.4: version 4 in the high nibble of byte 6, variant 10 in the two high bits of byte 8.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
