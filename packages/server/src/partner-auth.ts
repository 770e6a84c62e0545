import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ERROR_CODES, HttpError } from './http-error.js';
import type { PartnerRecord } from './partner-application.js';
import type { Store } from './store.js';

/** The public development token of a seeded demo partner, such as `opslot-dev-partner-chengchuan`. */
export const devPartnerToken = (partnerId: string) => `opslot-dev-${partnerId}`;

/** SHA-256 hex: how partner tokens are kept, so that a copy of the database lets no one in. */
export function hashPartnerToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new bearer token for a partner: 192 random bits, shown once by the admin API and only kept hashed. */
export function newPartnerToken(): string {
  return `opslot-pt-${randomBytes(24).toString('base64url')}`;
}

/**
 * The partner whose bearer token `req` carries, or 401. Every partner's hash is compared, in constant time and
 * without stopping at the first match, so that timing tells nothing about which tokens exist. With `devTokens`
 * (the server runs with the development admin token) the seeded demo partners also take their public tokens.
 * A pilot's stand-in for the bank's SSO.
 */
export function authenticatePartner(req: IncomingMessage, store: Store, devTokens: boolean): PartnerRecord {
  // The scheme is case-insensitive (RFC 9110).
  const given = /^bearer +(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
  let found: PartnerRecord | undefined;
  if (given !== '') {
    const digest = Buffer.from(hashPartnerToken(given), 'hex');
    for (const partner of store.partners()) {
      const hashes = [
        partner.tokenHash,
        devTokens && partner.seeded ? hashPartnerToken(devPartnerToken(partner.id)) : null,
      ];
      for (const hash of hashes) {
        // A stored hash that is not 32 bytes (a hand-edited row) matches no one, rather than throw for everyone.
        const stored = hash === null ? undefined : Buffer.from(hash, 'hex');
        if (stored?.length === digest.length && timingSafeEqual(stored, digest) && !found) found = partner;
      }
    }
  }
  if (!found) {
    throw new HttpError(401, ERROR_CODES.unauthorized, '请先登录：请求须带 Authorization: Bearer <合作方令牌>。', {
      'WWW-Authenticate': 'Bearer realm="opslot partner"',
    });
  }
  return found;
}
