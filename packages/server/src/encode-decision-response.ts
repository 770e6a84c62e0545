import type { DecisionResponse } from '@opslot/core';

/**
 * The bytes of a decision answer, exactly `JSON.stringify(response)` for the response whose slots `encodedSlots`
 * encode (each slot's JSON in pieces, as the decision engine gives them): joined rather than serialised again, since
 * most of those bytes were encoded once per catalogue version.
 *
 * @example
 * const body = encodeDecisionResponse({ v: 1, decisionId, ttl: 300 }, outcomes.map((o) => o.encoded));
 */
export function encodeDecisionResponse(
  { v, decisionId, ttl, preview }: Omit<DecisionResponse, 'slots'>,
  encodedSlots: readonly (readonly Buffer[])[],
): Buffer {
  const pieces: Buffer[] = [Buffer.from(`{"v":${v},"decisionId":${JSON.stringify(decisionId)},"ttl":${ttl},"slots":[`)];
  for (const [i, slot] of encodedSlots.entries()) {
    if (i > 0) pieces.push(COMMA);
    pieces.push(...slot);
  }
  pieces.push(preview === undefined ? CLOSE_LIST_AND_OBJECT : Buffer.from(`],"preview":${JSON.stringify(preview)}}`));
  return Buffer.concat(pieces);
}

const COMMA = Buffer.from(',');
const CLOSE_LIST_AND_OBJECT = Buffer.from(']}');
