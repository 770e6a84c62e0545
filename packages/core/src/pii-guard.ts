import type { BeaconEvent } from './protocol.js';

/**
 * Fields the guard never looks at, so never drops: the event's identity, what it is, when, and where. `id` comes from
 * `createEventId`, `type` and `channel` from fixed lists, and `ts` is a number; none can carry what the page typed.
 */
const KEPT = new Set(['id', 'type', 'ts', 'channel']);

/** Between the digits of a number as people write it: up to three spaces or dashes (hyphen, en/em dash, …). */
const SEP = '[\\s\\u2010-\\u2015-]{0,3}';

/**
 * What personal data looks like anywhere inside a value, after NFKC folding (full-width digits, `＠` and `－` count).
 * - A mainland mobile number: `1[3-9]` and nine more digits. A `+86` before it changes nothing: the rest matches.
 * - A landline written with its area code (`010-12345678`, `0755 8765 4321`), which the reference collector refuses.
 * - Any run of 13 or more digits: bank cards have 13–19 and are matched whether or not the Luhn check passes; resident
 *   ID numbers have 15, or 17 and a check character (`X`), so their 17 digits match too.
 * - An e-mail address, also percent-encoded (`%40`).
 * Digits may be grouped by spaces or dashes, as on a card or a form.
 */
export const PERSONAL_DATA_PATTERNS: readonly RegExp[] = [
  new RegExp(`1[3-9](?:${SEP}\\d){9}`),
  new RegExp(`0\\d{2,3}[\\s\\u2010-\\u2015-]{1,3}\\d(?:${SEP}\\d){6,7}`),
  new RegExp(`\\d(?:${SEP}\\d){12}`),
  /[^\s@](?:@|%40)[^\s@]+\.[^\s@]/i,
];

/**
 * A canonical UUID is random hex, not data, yet about 1 in 40 has dash-separated digits that pass for a phone or card
 * number (`…-8131-38001380…`, `12345678-1234-4…`). Event and decision ids are UUIDs, so UUIDs are blanked before the
 * patterns run.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Whether `text` contains something shaped like a phone number, resident ID number, bank-card number or e-mail
 * address anywhere in it ({@link PERSONAL_DATA_PATTERNS}).
 *
 * @example
 * containsPersonalData('loan-13800138000'); // true
 * containsPersonalData('3b241101-e2bb-4255-8caf-413656689620'); // false: a UUID
 */
export function containsPersonalData(text: string): boolean {
  const folded = text.normalize('NFKC').replace(UUID, ' ');
  return PERSONAL_DATA_PATTERNS.some((pattern) => pattern.test(folded));
}

/**
 * The event without every field whose value contains personal data ({@link containsPersonalData}), and the names of
 * the fields dropped. Any field is checked, including ones the protocol does not know (a value that is not a string
 * as its JSON), except `id`, `type`, `ts` and `channel`. Returns the event itself when nothing is dropped.
 *
 * @example
 * withoutPersonalData({ id, type: 'conversion', ts, channel, pageId: 'home', name: 'pay-6222020200001234567' });
 * // { event: { id, type: 'conversion', ts, channel, pageId: 'home' }, dropped: ['name'] }
 */
export function withoutPersonalData(event: BeaconEvent): { event: BeaconEvent; dropped: string[] } {
  const dropped = Object.keys(event).filter((field) => {
    if (KEPT.has(field)) return false;
    const value: unknown = (event as unknown as Record<string, unknown>)[field];
    try {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return text !== undefined && containsPersonalData(text);
    } catch {
      // A BigInt or a cycle: what cannot be read cannot be cleared.
      return true;
    }
  });
  if (dropped.length === 0) return { event, dropped };
  const kept: Record<string, unknown> = { ...event };
  for (const field of dropped) delete kept[field];
  return { event: kept as unknown as BeaconEvent, dropped };
}
