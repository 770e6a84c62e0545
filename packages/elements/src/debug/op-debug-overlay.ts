// QA's debug overlay: every slot outlined with what it is doing, and a panel that says why it shows what it shows —
// the decision, the strategy and reason the server gave, the frequency rules with the ledger's counts and refusals,
// viewability live, and every event with whether the collector acknowledged it. Loaded only when asked for
// (`?opslot_debug=1`, `opslot.debug()`, Alt+Shift+D), never with the main bundle.
import type { JournalEntry, LedgerInspection, Opslot } from '@opslot/core';
import { css, html, LitElement, nothing } from 'lit';
import { pageSession } from '../page-session.js';

const WORDS = {
  'zh-CN': {
    title: 'opslot 调试',
    close: '关闭调试面板',
    slots: '运营位',
    none: '本页没有运营位。',
    decision: '决策',
    creative: '素材',
    strategy: '策略',
    reason: '原因',
    bucket: '实验分组',
    rules: '频控规则',
    noRules: '无频控规则',
    counts: '台账计数（今日 / 会话 / 累计）',
    refused: '被频控拒绝',
    visible: '当前可见比例',
    viewable: '已计可见曝光',
    events: '事件',
    queued: '排队中',
    acknowledged: '已确认',
    beaconed: '已随离开发送',
    rejected: '被拒绝',
    force: '强制展示此素材',
    clearLedger: '清除当前操作员的频控台账',
    cleared: '台账已清除',
    copy: '复制诊断 JSON',
    copied: '已复制',
    copyFailed: '无法写入剪贴板，请从下方复制',
    storage: '台账存储',
    memory: '仅内存（IndexedDB 不可用）',
  },
  en: {
    title: 'opslot debug',
    close: 'Close the debug panel',
    slots: 'Slots',
    none: 'This page has no slots.',
    decision: 'Decision',
    creative: 'Creative',
    strategy: 'Strategy',
    reason: 'Reason',
    bucket: 'Experiment bucket',
    rules: 'Frequency rules',
    noRules: 'No frequency rules',
    counts: 'Ledger counts (today / session / lifetime)',
    refused: 'Refused by frequency rules',
    visible: 'Visible now',
    viewable: 'Viewable exposure counted',
    events: 'Events',
    queued: 'queued',
    acknowledged: 'acknowledged',
    beaconed: 'sent on leaving',
    rejected: 'rejected',
    force: 'Force this creative',
    clearLedger: "Clear the current operator's frequency ledger",
    cleared: 'Ledger cleared',
    copy: 'Copy diagnostic JSON',
    copied: 'Copied',
    copyFailed: 'Could not write to the clipboard; copy it from below',
    storage: 'Ledger storage',
    memory: 'memory only (IndexedDB unavailable)',
  },
} as const;

type Words = (typeof WORDS)[keyof typeof WORDS];

/** What the overlay knows of one slot. */
interface SlotView {
  element: Element;
  slotId: string;
  size: string;
  state: string;
  rect: DOMRect;
  visible: number;
  decision?: Extract<JournalEntry, { kind: 'decision' }>['outcome'];
  events: { type: string; at: number; status: keyof Words }[];
}

/** The overlay's view of the page, rebuilt twice a second and on scroll. */
interface Snapshot {
  slots: SlotView[];
  ledger?: LedgerInspection | undefined;
}

/**
 * The QA debug overlay for a page session.
 *
 * @summary Outlines every `<op-slot>` and explains its decision, frequency rules, viewability and events.
 */
export class OpDebugOverlay extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      inset: 0;
      z-index: 2147483646;
      pointer-events: none;
      font: 12px/1.5 system-ui, sans-serif;
      color: #1f2329;
    }
    .outline {
      position: fixed;
      box-sizing: border-box;
      border: 2px dashed #d4380d;
    }
    .outline span {
      position: absolute;
      top: 0;
      left: 0;
      padding: 0 4px;
      background: #d4380d;
      color: #fff;
      white-space: nowrap;
    }
    aside {
      position: fixed;
      right: 8px;
      bottom: 8px;
      box-sizing: border-box;
      width: min(420px, calc(100vw - 16px));
      max-height: min(70vh, 640px);
      overflow: auto;
      padding: 8px 12px 12px;
      border: 1px solid #c9cdd4;
      border-radius: 8px;
      background: #fff;
      box-shadow: 0 8px 24px rgb(0 0 0 / 18%);
      pointer-events: auto;
    }
    header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
    }
    h2 {
      margin: 0;
      font-size: 14px;
    }
    button {
      min-width: 44px;
      min-height: 44px;
      padding: 0 10px;
      border: 1px solid #8a919f;
      border-radius: 6px;
      background: #f7f8fa;
      color: inherit;
      font: inherit;
      cursor: pointer;
    }
    button:focus-visible,
    summary:focus-visible {
      outline: 3px solid #1a56db;
      outline-offset: 2px;
    }
    summary {
      min-height: 44px;
      display: flex;
      align-items: center;
      cursor: pointer;
      font-weight: 600;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 2px 8px;
      margin: 4px 0;
    }
    dt {
      color: #4e5969;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    ul {
      margin: 4px 0;
      padding-left: 18px;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      margin-top: 8px;
    }
    pre {
      max-height: 160px;
      overflow: auto;
      white-space: pre-wrap;
      font-size: 11px;
    }
  `;

  static override properties = {
    _snapshot: { state: true },
    _status: { state: true },
  };

  /** The session whose slots it explains; the page-wide one unless set before connecting. */
  session: Opslot | undefined;

  declare private _snapshot: Snapshot;
  declare private _status: string;
  private _visible = new Map<Element, number>();
  private _observer: IntersectionObserver | undefined;
  private _timer: ReturnType<typeof setInterval> | undefined;
  private readonly _onScroll = () => void this._refresh();
  private readonly _onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') this.remove();
  };

  constructor() {
    super();
    this._snapshot = { slots: [] };
    this._status = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) this._visible.set(entry.target, entry.intersectionRatio);
      },
      { threshold: [0, 0.25, 0.5, 0.75, 1] },
    );
    this._timer = setInterval(() => void this._refresh(), 500);
    addEventListener('scroll', this._onScroll, { passive: true });
    addEventListener('resize', this._onScroll, { passive: true });
    addEventListener('keydown', this._onKey);
    void this._refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._observer?.disconnect();
    clearInterval(this._timer);
    removeEventListener('scroll', this._onScroll);
    removeEventListener('resize', this._onScroll);
    removeEventListener('keydown', this._onKey);
  }

  private get _session(): Opslot {
    this.session ??= pageSession();
    return this.session;
  }

  private get _words(): Words {
    return /^en\b/i.test(this._session.config?.locale ?? document.documentElement.lang) ? WORDS.en : WORDS['zh-CN'];
  }

  /** Reads the page, the journal and the ledger again. */
  private async _refresh(): Promise<void> {
    const [measurement, ledger] = await Promise.all([this._session.measurement(), this._session.ledger()]);
    const journal = measurement?.journal ?? [];
    const status = deliveryStatus(journal);
    const slots = [...document.querySelectorAll('op-slot')].map((element): SlotView => {
      this._observer?.observe(element);
      const slotId = element.getAttribute('slot-id') ?? '';
      const decision = [...journal].reverse().find((entry) => entry.kind === 'decision' && entry.slotId === slotId);
      const events = journal.flatMap((entry) =>
        entry.kind === 'event' && entry.event.slotId === slotId
          ? [{ type: entry.event.type, at: entry.at, status: status.get(entry.event.id) ?? ('queued' as const) }]
          : [],
      );
      return {
        element,
        slotId,
        size: element.getAttribute('size') ?? '',
        state: element.getAttribute('state') ?? 'idle',
        rect: element.getBoundingClientRect(),
        visible: this._visible.get(element) ?? 0,
        ...(decision?.kind === 'decision' && { decision: decision.outcome }),
        events,
      };
    });
    this._snapshot = { slots, ledger: ledger?.inspect() };
  }

  /** Everything the overlay shows, as JSON, for a bug report. */
  diagnostics(): object {
    const { slots, ledger } = this._snapshot;
    return {
      url: location.href,
      at: new Date().toISOString(),
      config: this._session.config,
      slots: slots.map(({ element: _element, rect, ...slot }) => ({
        ...slot,
        rect: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
      })),
      ledger,
    };
  }

  protected override render() {
    const words = this._words;
    const { slots, ledger } = this._snapshot;
    return html`${slots.map(
      (slot) => html`<div class="outline">
          <span>${slot.slotId} · ${slot.state}</span>
        </div>`,
    )}
      <aside aria-labelledby="title">
        <header>
          <h2 id="title">${words.title}</h2>
          <button type="button" aria-label=${words.close} @click=${() => this.remove()}>✕</button>
        </header>
        ${
          ledger
            ? html`<p>${words.storage}: ${ledger.namespace}${ledger.inMemory ? ` · ${words.memory}` : ''}</p>`
            : nothing
        }
        ${slots.length ? slots.map((slot) => this._renderSlot(slot, words, ledger)) : html`<p>${words.none}</p>`}
        <div class="actions">
          <button type="button" @click=${this._clearLedger}>${words.clearLedger}</button>
          <button type="button" @click=${this._copy}>${words.copy}</button>
        </div>
        <p role="status">${this._status}</p>
        ${this._status === words.copyFailed ? html`<pre>${JSON.stringify(this.diagnostics(), null, 2)}</pre>` : nothing}
      </aside>`;
  }

  /**
   * Places the outlines over their slots through the CSSOM, which a strict `style-src` allows, where a `style`
   * attribute (as a template binding would write) is refused.
   */
  protected override updated(): void {
    const outlines = this.renderRoot.querySelectorAll<HTMLElement>('.outline');
    this._snapshot.slots.forEach(({ rect }, index) => {
      const outline = outlines[index];
      if (!outline) return;
      outline.style.left = `${rect.left}px`;
      outline.style.top = `${rect.top}px`;
      outline.style.width = `${rect.width}px`;
      outline.style.height = `${rect.height}px`;
    });
  }

  private _renderSlot(slot: SlotView, words: Words, ledger: LedgerInspection | undefined) {
    const decision = slot.decision;
    const candidates = decision?.kind === 'filled' ? decision.candidates : [];
    const choice = ledger?.choices[slot.slotId];
    const shown = candidates.find((creative) => creative.id === choice?.shown) ?? candidates[0];
    const rules = shown ? ledger?.rules[shown.id] : undefined;
    const viewable = slot.events.some((event) => event.type === 'viewable');
    return html`<details open>
      <summary>${slot.slotId} · ${slot.size || '—'} · ${slot.state}</summary>
      <dl>
        <dt>${words.decision}</dt>
        <dd>
          ${
            decision?.kind === 'filled'
              ? decision.decisionId
              : decision?.kind === 'empty'
                ? `${decision.reason}${decision.decisionId ? ` · ${decision.decisionId}` : ''}`
                : decision?.kind === 'error'
                  ? `${decision.code}: ${decision.message}`
                  : '—'
          }
        </dd>
        ${
          shown
            ? html`<dt>${words.creative}</dt>
              <dd>${shown.id} · ${shown.advertiser.name}</dd>
              <dt>${words.strategy}</dt>
              <dd>${shown.strategy}</dd>
              <dt>${words.reason}</dt>
              <dd>${shown.reason}</dd>
              ${
                shown.experiment
                  ? html`<dt>${words.bucket}</dt>
                    <dd>${shown.experiment.id} / ${shown.experiment.bucket}</dd>`
                  : nothing
              }`
            : nothing
        }
        <dt>${words.rules}</dt>
        <dd>${
          rules?.some(Boolean)
            ? rules
                .filter(Boolean)
                .map((rule) => JSON.stringify(rule))
                .join(' + ')
            : words.noRules
        }</dd>
        ${
          shown && ledger
            ? html`<dt>${words.counts}</dt>
              <dd>${countsOf(ledger, shown.id)}</dd>`
            : nothing
        }
        ${
          choice?.refused.length
            ? html`<dt>${words.refused}</dt>
              <dd>${choice.refused.map(({ creativeId, reason }) => `${creativeId}: ${reason}`).join(', ')}</dd>`
            : nothing
        }
        <dt>${words.visible}</dt>
        <dd>${Math.round(slot.visible * 100)}%${viewable ? ` · ${words.viewable} ✓` : ''}</dd>
      </dl>
      <p>${words.events}:</p>
      <ul>
        ${slot.events.map(
          (event) => html`<li>${new Date(event.at).toLocaleTimeString()} ${event.type} — ${words[event.status]}</li>`,
        )}
      </ul>
      ${
        candidates.length
          ? html`<div class="actions">
            ${candidates.map(
              (creative) =>
                html`<button type="button" @click=${() => forceCreative(slot.slotId, creative.id)}>
                  ${words.force}: ${creative.id}
                </button>`,
            )}
          </div>`
          : nothing
      }
    </details>`;
  }

  private async _clearLedger(): Promise<void> {
    const ledger = await this._session.ledger();
    await ledger?.forget(this._session.config?.operator ?? 'anonymous');
    this._status = this._words.cleared;
    await this._refresh();
  }

  private async _copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(JSON.stringify(this.diagnostics(), null, 2));
      this._status = this._words.copied;
    } catch {
      this._status = this._words.copyFailed;
    }
  }
}

/** The latest status of each event id: acknowledged or rejected by the collector, or handed to a beacon. */
function deliveryStatus(journal: readonly JournalEntry[]): Map<string, keyof Words> {
  const status = new Map<string, keyof Words>();
  for (const entry of journal) {
    if (entry.kind !== 'delivery') continue;
    if ('beaconed' in entry) for (const id of entry.beaconed) status.set(id, 'beaconed');
    else {
      for (const id of [...entry.accepted, ...entry.duplicates]) status.set(id, 'acknowledged');
      for (const id of entry.rejected) status.set(id, 'rejected');
    }
  }
  return status;
}

/** Today's, this session's and the lifetime exposures of a creative in the ledger. */
function countsOf(ledger: LedgerInspection, creativeId: string): string {
  const history = ledger.state.scopes[`c/${creativeId}`];
  if (!history) return '0 / 0 / 0';
  const today = history.d.at(-2) === ledger.today ? (history.d.at(-1) ?? 0) : 0;
  const sessionCount = history.s[0] === ledger.state.session[0] ? history.s[1] : 0;
  return `${today} / ${sessionCount} / ${history.t}`;
}

/** Reloads the page with the creative forced into the slot (`?opslot_force=slot:creative`), for this tab only. */
function forceCreative(slotId: string, creativeId: string): void {
  const url = new URL(location.href);
  url.searchParams.set('opslot_force', `${slotId}:${creativeId}`);
  location.assign(url);
}

customElements.get('op-debug-overlay') || customElements.define('op-debug-overlay', OpDebugOverlay);

declare global {
  interface HTMLElementTagNameMap {
    'op-debug-overlay': OpDebugOverlay;
  }
}

/** Shows the overlay (`on` true), hides it (false), or toggles it (undefined). */
export function toggleDebugOverlay(on?: boolean): void {
  const shown = document.querySelector('op-debug-overlay');
  if (shown && on !== true) shown.remove();
  else if (!shown && on !== false) document.body.append(document.createElement('op-debug-overlay'));
}
