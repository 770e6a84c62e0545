import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileAtomically } from './write-file-atomically.js';

/** Name of the preview secret file in the data folder. */
export const PREVIEW_SECRET_FILE = 'opslot-preview-secret';

/** How long a preview link works: long enough to open it on a phone and show a colleague, short enough to leak little. */
export const PREVIEW_TOKEN_TTL_MS = 30 * 60_000;

/** What a preview token binds: this partner's creative, in this slot, until `exp` (epoch ms). */
export interface PreviewClaims {
  partnerId: string;
  creativeId: string;
  slotId: string;
  exp: number;
}

export type PreviewCheck = { ok: true; claims: PreviewClaims } | { ok: false; reason: 'expired' | 'invalid' };

export interface PreviewTokens {
  /** A token for `claims` without `exp`, valid for {@link PREVIEW_TOKEN_TTL_MS} from now. */
  issue(claims: Omit<PreviewClaims, 'exp'>): { token: string; expiresAt: number };
  /** Whether this server issued `token` and it has not expired; a MAC that does not match is `invalid`. */
  verify(token: string): PreviewCheck;
}

/**
 * Preview tokens: `base64url(JSON claims) + "." + base64url(HMAC-SHA256(secret, payload))`. Only this server can
 * make one (the secret never leaves the data folder), the MAC is compared in constant time, and the expiry is read
 * only from a payload whose MAC matched. The clock is a parameter so that expiry can be tested without waiting.
 *
 * @example
 * const tokens = createPreviewTokens(loadPreviewSecret('data/opslot-preview-secret'));
 * const { token } = tokens.issue({ partnerId, creativeId, slotId });
 */
export function createPreviewTokens(secret: Buffer, now: () => number = Date.now): PreviewTokens {
  const mac = (payload: string) => createHmac('sha256', secret).update(payload, 'utf8').digest();
  return {
    issue(claims) {
      const expiresAt = now() + PREVIEW_TOKEN_TTL_MS;
      const payload = Buffer.from(JSON.stringify({ ...claims, exp: expiresAt }), 'utf8').toString('base64url');
      return { token: `${payload}.${mac(payload).toString('base64url')}`, expiresAt };
    },
    verify(token) {
      const [payload, signature, ...rest] = token.split('.');
      if (payload === undefined || signature === undefined || rest.length > 0) return { ok: false, reason: 'invalid' };
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { ok: false, reason: 'invalid' };
      const claims = parseClaims(payload);
      if (!claims) return { ok: false, reason: 'invalid' };
      if (now() >= claims.exp) return { ok: false, reason: 'expired' };
      return { ok: true, claims };
    },
  };
}

function parseClaims(payload: string): PreviewClaims | null {
  try {
    const value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<PreviewClaims>;
    const { partnerId, creativeId, slotId, exp } = value;
    if (typeof partnerId !== 'string' || typeof creativeId !== 'string' || typeof slotId !== 'string') return null;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
    return { partnerId, creativeId, slotId, exp };
  } catch {
    return null;
  }
}

/**
 * The HMAC secret of preview tokens, 32 random bytes kept hex in `path`: made on first start (mode 0600, written
 * through a temporary file so that a crash leaves no half secret) and reused after, so that links survive restarts.
 * A file that exists but holds no secret stops the start rather than be replaced silently.
 */
export function loadPreviewSecret(path: string): Buffer {
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`The preview secret ${path} cannot be read: ${(error as Error).message}`);
    }
  }
  if (text !== undefined) {
    const hex = text.trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) {
      throw new Error(`The preview secret ${path} is not 64 hex digits. Move it away to have a new one made.`);
    }
    return Buffer.from(hex, 'hex');
  }
  const secret = randomBytes(32);
  try {
    writeFileAtomically(path, `${secret.toString('hex')}\n`, 0o600);
  } catch (error) {
    throw new Error(`The preview secret ${path} cannot be written: ${(error as Error).message}`);
  }
  return secret;
}
