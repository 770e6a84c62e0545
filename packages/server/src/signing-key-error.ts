const RESTORE_HINT =
  'Restore it from a backup, or move it away to have a new key made on the next start (pages that pin the old ' +
  'public key will then refuse decisions until they pin the new one).';

/**
 * A signing key file that cannot be used or written. The server refuses to start rather than make a new key in its
 * place, because pages that pin the old public key would then refuse every decision.
 */
export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';

  constructor(path: string, problem: string, hint = RESTORE_HINT) {
    super(`The signing key ${path} cannot be used: ${problem}. ${hint}`);
  }
}
