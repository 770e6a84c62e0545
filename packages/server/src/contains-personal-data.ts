// Percent-encoded too, as it would be inside a URL.
const EMAIL = /[^\s@](?:@|%40)[^\s@]+\.[^\s@]/i;

// Written the way people write them, as a whole token: mobile 3-4-4, card 4-4-4-4 (and a group of up to 3),
// resident ID 6-8-4, landline with its area code. None of these shapes occurs in a UUID (groups of 8-4-4-4-12).
const FORMATTED_NUMBER =
  /(?<![A-Za-z0-9])(?:1[3-9]\d([ -])\d{4}\1\d{4}|\d{4}([ -])\d{4}\2\d{4}\2\d{4}(?:\2\d{1,3})?|\d{6}([ -])\d{8}\3\d{3}[\dXx]|0\d{2,3}[ -]\d{7,8})(?![A-Za-z0-9])/;

const TOKEN = /[A-Za-z0-9]+/g;
const DIGIT_RUN = /\d+/g;
const HEX_WITH_A_LETTER = /^(?=.*[A-Fa-f])[0-9A-Fa-f]+$/;

// Every shape above needs an ASCII digit or an at sign once folded.
const DIGIT_OR_AT = /[0-9@]/;
// A canonical UUID (the SDK's event and decision ids) matches none of them: its groups are 8-4-4-4-12, no group's
// digits reach 11, and the formatted shapes need groups of 3, 6, 7 or 8 digits where a UUID has hex of other lengths.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` looks like it holds personal data: a mainland mobile number (11 digits from 13…–19…, or a
 * landline written with its area code), a resident ID number (15 digits, or 17 and a digit or X), a bank-card number
 * (13–19 digits; longer runs too, which corporate account numbers reach) or an e-mail address, alone or inside a
 * longer string, after NFKC folding (full-width digits and `＠` count), as the SDK's own guard does.
 *
 * A run of digits counts wherever it stands (`user13800138000`), except inside a hex token such as a UUID group or a
 * hash (`a13800138000`): those hold long runs of digits by chance, and refusing them would lose real events. So an
 * id must never carry 11-digit runs starting 13–19, nor runs of 13 or more digits, outside hex: a millisecond
 * timestamp (13 digits) in an id is refused too.
 *
 * @example
 * looksPersonal('13800138000'); // true
 * looksPersonal('3b241101-e2bb-4255-8caf-4136c566a962'); // false
 */
export function looksPersonal(value: string): boolean {
  // The two shortcuts answer exactly as the full check would, for the strings that make up most of an event:
  // identifiers without digits, and UUIDs. NFKC leaves ASCII as it is.
  if (UUID.test(value)) return false;
  const folded = isAscii(value) ? value : value.normalize('NFKC');
  if (!DIGIT_OR_AT.test(folded)) return false;
  if (EMAIL.test(folded) || FORMATTED_NUMBER.test(folded)) return true;
  for (const [token] of folded.matchAll(TOKEN)) {
    if (HEX_WITH_A_LETTER.test(token)) continue;
    for (const run of token.matchAll(DIGIT_RUN)) {
      const digits = run[0];
      if (digits.length >= 13) return true;
      if (digits.length === 11 && /^1[3-9]/.test(digits)) return true;
      const next = token[run.index + digits.length];
      if (digits.length === 17 && (next === 'X' || next === 'x')) return true;
    }
  }
  return false;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Whether any string anywhere in `value` (an event as it arrived, unknown fields included) {@link looksPersonal}.
 * Numbers are not checked: the only number an event has is its timestamp, and unknown fields are never stored.
 */
export function containsPersonalData(value: unknown): boolean {
  // A walk with its own stack: a 64 KiB body can nest deeper than the call stack allows.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (looksPersonal(item)) return true;
    } else if (typeof item === 'object' && item !== null) {
      for (const child of Object.values(item)) pending.push(child);
    }
  }
  return false;
}
