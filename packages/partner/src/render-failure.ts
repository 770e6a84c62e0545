import { html, type TemplateResult } from 'lit';
import { errorText, type PartnerWords } from './messages.js';
import { PartnerApiError } from './partner-client.js';

/** What a failed request says, in the partner's words: an AbortError says nothing (the component went away). */
export function failureText(words: PartnerWords, error: unknown): string {
  if (error instanceof PartnerApiError) return errorText(words, error.code, error.message);
  return words.fallbackError;
}

/** The inline error every failed request shows, with a retry button: the host page never breaks. */
export function renderFailure(words: PartnerWords, error: unknown, retry: () => void): TemplateResult {
  return html`<div class="failure" role="alert">
    <span>${failureText(words, error)}</span>
    <button class="secondary" type="button" @click=${retry}>${words.retry}</button>
  </div>`;
}

/** Whether `error` is only the abort of a request that nobody waits for any more. */
export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';
