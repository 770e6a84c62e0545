// `<op-partner-entry>`: the quick entry of the traffic programme on the e-banking home page. Only whitelisted
// enterprises see it: the whitelist is the server's, and the element asks it (`GET /me`).

import type { PartnerMe } from '@opslot/core';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { wordsFor } from '../messages.js';
import { PartnerApiError, type PartnerClient } from '../partner-client.js';
import { partnerStyles } from '../partner-styles.js';
import { isAbort, renderFailure } from '../render-failure.js';

/**
 * @summary The programme's entry card, shown only to an eligible partner. Renders nothing while it asks, for a partner
 * not in the programme, and without a valid token; a failed request shows an inline error with retry.
 * @event op-partner-ready - `GET /me` answered; `detail` is its answer, whether the partner is eligible or not, so
 * that the page can follow it without asking again.
 * @event op-partner-start - The partner chose to apply; `detail` is the answer of `GET /me` (partner and slots).
 */
export class OpPartnerEntry extends LitElement {
  static override styles = [
    partnerStyles,
    css`
      .card {
        padding: 16px 20px;
        background: #f5f8ff;
        border: 1px solid #c6d4f5;
        border-radius: 8px;
      }

      p {
        margin: 0 0 12px;
      }
    `,
  ];

  static override properties = {
    client: { attribute: false },
    _me: { state: true },
    _error: { state: true },
  };

  /** The partner API client (see `createPartnerClient`). */
  declare client: PartnerClient | undefined;
  declare private _me: PartnerMe | undefined;
  declare private _error: unknown;
  private _request: AbortController | undefined;

  private _pending = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._request?.abort();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page after a move that cut the question short: asks again.
    if (this._pending && this._request?.signal.aborted) void this._load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') && this.client) void this._load();
  }

  private async _load(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this._request?.abort();
    const request = new AbortController();
    this._request = request;
    this._me = undefined;
    this._error = undefined;
    this._pending = true;
    try {
      const me = await client.me(request.signal);
      this._me = me;
      this._pending = false;
      this.dispatchEvent(new CustomEvent('op-partner-ready', { detail: me, bubbles: true, composed: true }));
    } catch (error) {
      if (isAbort(error) || request.signal.aborted) return;
      this._pending = false;
      this._error = error;
    }
  }

  private _start(): void {
    this.dispatchEvent(new CustomEvent('op-partner-start', { detail: this._me, bubbles: true, composed: true }));
  }

  protected override render() {
    const words = wordsFor(this);
    const error = this._error;
    // A partner outside the programme, or nobody signed in: the entry simply is not there.
    if (error instanceof PartnerApiError && (error.status === 401 || error.status === 403)) return nothing;
    if (error) return renderFailure(words, error, () => void this._load());
    if (!this._me?.eligible) return nothing;
    return html`<section class="card" aria-labelledby="entry-title">
      <h2 id="entry-title">${words.entryTitle}</h2>
      <p>${words.entryBody}</p>
      <button type="button" @click=${this._start}>${words.entryStart}</button>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'op-partner-entry': OpPartnerEntry;
  }
  interface GlobalEventHandlersEventMap {
    'op-partner-ready': CustomEvent<PartnerMe>;
    'op-partner-start': CustomEvent<PartnerMe>;
  }
}
