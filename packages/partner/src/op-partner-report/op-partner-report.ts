// `<op-partner-report>`: the partner's own exposures, clicks and CTR (issue 7, step 6), by day and by slot and channel,
// with a chart, its table, and the CSV export. The server scopes every figure to the partner the token names.

import { type PartnerReport, type PartnerReportQuery, REPORT_LIMITS } from '@opslot/core';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { channelName, type PartnerWords, wordsFor } from '../messages.js';
import type { PartnerClient } from '../partner-client.js';
import { partnerStyles } from '../partner-styles.js';
import { failureText, isAbort, renderFailure } from '../render-failure.js';
import { daysBetween, shanghaiToday } from '../validate-application.js';
import { renderReportChart } from './report-chart.js';

/** The server's default range, up to today in Asia/Shanghai. */
function defaultRange(now = Date.now()): { from: string; to: string } {
  return { from: shanghaiToday(now - (REPORT_LIMITS.defaultDays - 1) * 86_400_000), to: shanghaiToday(now) };
}

/**
 * @summary The partner's report: a date range, totals, a chart of exposures and clicks by day with a table of the same
 * figures, a table by slot and channel, and a CSV download.
 * @attr campaign-id - Only this campaign of the partner's (optional).
 */
export class OpPartnerReport extends LitElement {
  static override styles = [
    partnerStyles,
    css`
      .status {
        margin: 0;
      }

      form {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        align-items: end;
        margin-bottom: 16px;
      }

      .field {
        display: grid;
        gap: 4px;
      }

      label {
        font-weight: 600;
      }

      dl {
        display: flex;
        flex-wrap: wrap;
        gap: 12px 32px;
        margin: 0 0 16px;
      }

      dt {
        font-size: 13px;
        color: var(--_muted);
      }

      dd {
        margin: 0;
        font-size: 22px;
        font-weight: 600;
      }

      .chart {
        display: block;
        width: 100%;
        max-width: 720px;
        height: auto;
        font-size: 11px;
      }

      .chart .axis {
        fill: var(--_muted);
      }

      .chart .series {
        font-weight: 600;
        fill: #1f2329;
      }

      .chart .baseline {
        stroke: var(--_border);
      }

      .chart .exposures rect {
        fill: var(--op-partner-exposures, #1a56db);
      }

      .chart .clicks rect {
        fill: var(--op-partner-clicks, #b54708);
      }

      table {
        border-collapse: collapse;
        margin: 8px 0 16px;
      }

      th,
      td {
        padding: 4px 12px;
        text-align: right;
        border-bottom: 1px solid var(--_border);
      }

      th:first-child,
      td:first-child {
        text-align: left;
      }

      summary {
        min-height: 32px;
        cursor: pointer;
      }

      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        align-items: center;
      }
    `,
  ];

  static override properties = {
    client: { attribute: false },
    campaignId: { attribute: 'campaign-id' },
    _from: { state: true },
    _to: { state: true },
    _report: { state: true },
    _error: { state: true },
    _loading: { state: true },
    _rangeInvalid: { state: true },
    _csv: { state: true },
    _csvError: { state: true },
  };

  declare client: PartnerClient | undefined;
  declare campaignId: string | undefined;
  declare private _from: string;
  declare private _to: string;
  declare private _report: PartnerReport | undefined;
  declare private _error: unknown;
  declare private _loading: boolean;
  declare private _rangeInvalid: boolean;
  declare private _csv: { url: string; file: string } | 'preparing' | undefined;
  declare private _csvError: unknown;
  /** The question the report shown answers: the CSV exports that, not the dates being edited. */
  private _shownQuery: PartnerReportQuery | undefined;
  private _request: AbortController | undefined;
  private _csvRequest: AbortController | undefined;
  /** A load cut short by leaving the page, to ask again on coming back. */
  private _loadCutShort = false;

  constructor() {
    super();
    const { from, to } = defaultRange();
    this._from = from;
    this._to = to;
    this._loading = false;
    this._rangeInvalid = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this._loadCutShort) void this._load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this._loading) this._loadCutShort = true;
    this._request?.abort();
    this._dropCsv();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('client') || changed.has('campaignId')) && this.client) void this._load();
  }

  private _query(): PartnerReportQuery {
    return { from: this._from, to: this._to, ...(this.campaignId && { campaignId: this.campaignId }) };
  }

  private async _load(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const days = daysBetween(this._from, this._to);
    this._rangeInvalid = !(days >= 0 && days < REPORT_LIMITS.maxDays);
    if (this._rangeInvalid) return;
    this._request?.abort();
    const request = new AbortController();
    this._request = request;
    this._loadCutShort = false;
    this._loading = true;
    this._error = undefined;
    this._dropCsv();
    const query = this._query();
    try {
      const report = await client.report(query, request.signal);
      // A newer question was asked meanwhile: its answer is the one to show.
      if (this._request !== request) return;
      this._report = report;
      this._shownQuery = query;
    } catch (error) {
      if (this._request !== request || isAbort(error)) return;
      this._report = undefined;
      this._shownQuery = undefined;
      this._error = error;
    } finally {
      if (this._request === request) this._loading = false;
    }
  }

  private async _exportCsv(): Promise<void> {
    const client = this.client;
    const query = this._shownQuery;
    if (!client || !query || this._csv === 'preparing') return;
    this._dropCsv();
    const request = new AbortController();
    this._csvRequest = request;
    this._csv = 'preparing';
    this._csvError = undefined;
    try {
      const blob = await client.reportCsv(query, request.signal);
      if (this._csvRequest !== request) return;
      this._csv = { url: URL.createObjectURL(blob), file: `opslot-report-${query.from}-${query.to}.csv` };
      await this.updateComplete;
      (this.renderRoot.querySelector('a[download]') as HTMLElement | null)?.focus();
    } catch (error) {
      if (this._csvRequest !== request) return;
      this._csv = undefined;
      if (!isAbort(error)) this._csvError = error;
    }
  }

  /** Drops the CSV of the report shown, or stops preparing it. */
  private _dropCsv(): void {
    this._csvRequest?.abort();
    this._csvRequest = undefined;
    if (this._csv && this._csv !== 'preparing') URL.revokeObjectURL(this._csv.url);
    this._csv = undefined;
  }

  private _onInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.name === 'from') this._from = input.value;
    if (input.name === 'to') this._to = input.value;
  }

  /** What the report's one live region says: loading, preparing the CSV, or an empty period. */
  private _statusText(words: PartnerWords): string {
    if (this._loading) return words.loading;
    if (this._csv === 'preparing') return words.preparingCsv;
    const totals = this._report?.totals;
    return totals && totals.exposures === 0 && totals.clicks === 0 ? words.empty : '';
  }

  protected override render() {
    const words = wordsFor(this);
    return html`<section aria-labelledby="report-title" aria-busy=${this._loading ? 'true' : 'false'}>
      <h2 id="report-title">${words.reportTitle}</h2>
      <form
        novalidate
        @input=${this._onInput}
        @submit=${(event: Event) => {
          event.preventDefault();
          void this._load();
        }}
      >
        <div class="field">
          <label for="from">${words.from}</label>
          <input id="from" name="from" type="date" .value=${this._from} max=${this._to} aria-invalid=${this._rangeInvalid ? 'true' : 'false'} aria-describedby=${this._rangeInvalid ? 'range-error' : nothing} />
        </div>
        <div class="field">
          <label for="to">${words.to}</label>
          <input id="to" name="to" type="date" .value=${this._to} min=${this._from} aria-invalid=${this._rangeInvalid ? 'true' : 'false'} aria-describedby=${this._rangeInvalid ? 'range-error' : nothing} />
        </div>
        <button type="submit">${words.show}</button>
      </form>
      ${this._rangeInvalid ? html`<p class="field-error" id="range-error" role="alert">${words.rangeInvalid}</p>` : nothing}
      <p role="status" class="status">${this._statusText(words)}</p>
      ${this._error ? renderFailure(words, this._error, () => void this._load()) : nothing}
      ${this._report && !this._loading ? this._renderReport(words, this._report) : nothing}
    </section>`;
  }

  private _renderReport(words: PartnerWords, report: PartnerReport) {
    const count = new Intl.NumberFormat(words.locale);
    const percent = new Intl.NumberFormat(words.locale, {
      style: 'percent',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    const { totals } = report;
    const csv = this._csv;
    const exportControls = html`<div class="actions">
      <button class="secondary" type="button" aria-disabled=${csv === 'preparing' ? 'true' : 'false'} @click=${this._exportCsv}>${words.exportCsv}</button>
      ${csv && csv !== 'preparing' ? html`<a href=${csv.url} download=${csv.file}>${words.downloadCsv(csv.file)}</a>` : nothing}
    </div>
    ${this._csvError ? html`<p class="failure" role="alert">${failureText(words, this._csvError)}</p>` : nothing}`;
    if (totals.exposures === 0 && totals.clicks === 0) return nothing;
    const summary = words.chartSummary(
      report.from,
      report.to,
      count.format(totals.exposures),
      count.format(totals.clicks),
    );
    return html`<dl>
        <div><dt>${words.exposures}</dt><dd>${count.format(totals.exposures)}</dd></div>
        <div><dt>${words.clicks}</dt><dd>${count.format(totals.clicks)}</dd></div>
        <div><dt>${words.ctr}</dt><dd>${percent.format(totals.ctr)}</dd></div>
      </dl>
      <h3>${words.byDay}</h3>
      ${renderReportChart(report, { exposures: words.exposures, clicks: words.clicks, summary, format: (value) => count.format(value) })}
      <details>
        <summary>${words.chartTable}</summary>
        <table>
          <thead>
            <tr><th scope="col">${words.day}</th><th scope="col">${words.exposures}</th><th scope="col">${words.clicks}</th><th scope="col">${words.ctr}</th></tr>
          </thead>
          <tbody>
            ${report.byDay.map(
              (day) =>
                html`<tr><th scope="row">${day.day}</th><td>${count.format(day.exposures)}</td><td>${count.format(day.clicks)}</td><td>${percent.format(day.ctr)}</td></tr>`,
            )}
          </tbody>
        </table>
      </details>
      <h3>${words.bySlot}</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">${words.slot}</th><th scope="col">${words.channel}</th><th scope="col">${words.exposures}</th><th scope="col">${words.clicks}</th><th scope="col">${words.ctr}</th>
          </tr>
        </thead>
        <tbody>
          ${report.bySlot.map(
            (row) => html`<tr>
              <th scope="row">${row.slotId}</th><td>${channelName(row.channel, words.locale)}</td><td>${count.format(row.exposures)}</td><td>${count.format(row.clicks)}</td><td>${percent.format(row.ctr)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${exportControls}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'op-partner-report': OpPartnerReport;
  }
}
