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
  let length = Buffer.byteLength(head) + Buffer.byteLength(tail) + Math.max(0, encodedSlots.length - 1);
  for (const slot of encodedSlots) {
    for (const piece of slot) length += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.byteLength;
  }
  const body = Buffer.allocUnsafe(length);
  let at = body.write(head, 0);
  for (const [i, slot] of encodedSlots.entries()) {
    if (i > 0) at += body.write(',', at);
    for (const piece of slot) at += typeof piece === 'string' ? body.write(piece, at) : piece.copy(body, at);
  }
  body.write(tail, at);
  return body;
}
