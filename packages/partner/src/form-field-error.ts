import type { FieldError } from '@opslot/core';

/**
 * A refused field as the forms show it: one the server refused (a {@link FieldError}, read leniently, since a bank may
 * implement the contract in its own stack and word or code a field otherwise), or one the browser's own checks found,
 * which has no message: the components word it by its field, code and reason (`landingUrlProblem`'s).
 */
export type FormFieldError = Pick<FieldError, 'field' | 'words'> & { code: string; message?: string; reason?: string };
