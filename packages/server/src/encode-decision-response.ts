import type { DecisionResponse } from '@opslot/core';

/**
 * The bytes of a decision answer, exactly `JSON.stringify(response)` for the response whose slots `encodedSlots`
 * encode (each slot's JSON in pieces, as the decision engine gives them, strings written as UTF-8): joined into one
 * buffer rather than serialised again, since most of those bytes were encoded once per catalogue version.
 *
 * @example
 * const body = encodeDecisionResponse({ v: 1, decisionId, ttl: 300 }, outcomes.map((o) => o.encoded));
 */
export function encodeDecisionResponse(
  { v, decisionId, ttl, preview }: Omit<DecisionResponse, 'slots'>,
  encodedSlots: readonly (readonly (Buffer | string)[])[],
): Buffer {
  const head = `{"v":${v},"decisionId":${JSON.stringify(decisionId)},"ttl":${ttl},"slots":[`;
  const tail = preview === undefined ? ']}' : `],"preview":${JSON.stringify(preview)}}`;
  // Room for the worst case (three UTF-8 bytes per UTF-16 unit) rather than a byteLength call per string.
  let room = 3 * (head.length + tail.length) + encodedSlots.length;
  for (const slot of encodedSlots) {
    for (const piece of slot) room += typeof piece === 'string' ? 3 * piece.length : piece.byteLength;
  }
  const body = Buffer.allocUnsafe(room);
  let at = body.write(head, 0);
  for (const [i, slot] of encodedSlots.entries()) {
    if (i > 0) at += body.write(',', at);
    for (const piece of slot) {
      if (typeof piece === 'string') at += body.write(piece, at);
      else {
        body.set(piece, at);
        at += piece.byteLength;
      }
    }
  }
  at += body.write(tail, at);
  return body.subarray(0, at);
}
