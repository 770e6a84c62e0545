// `<op-card-list>`: the message center's list of cards. The slot's card-list candidates become the cards, in the
// decision's order, each its own creative with its own label, advertiser, landing page and measurement.
import type { Creative } from '@opslot/core';
import { css, html, nothing } from 'lit';
import {
  createFormatElement,
  formatStyles,
  imageOf,
  landingOf,
  OpFormatElement,
  type SafeImage,
  text,
  textsOf,
  viewsOf,
} from '../format-element.js';
import type { FormatReporter } from '../format-reporter.js';

/** Most cards one slot shows. */
const MAX_CARDS = 10;
/** When a message was published is shown in the bank's time zone. */
const TIME_ZONE = 'Asia/Shanghai';

interface Card {
  creative: Creative;
  title: string;
  summary: string;
  publishedAt: Date | undefined;
  cta: string | undefined;
  image: SafeImage | undefined;
  landingUrl: string;
}

/**
 * @summary Message-center cards: title, summary, time and call to action, each with the 广告 label.
 * @csspart title - A card's title.
 * @csspart summary - A card's summary.
 * @csspart time - When a card's message was published.
 * @csspart image - A card's picture, when it has one.
 * @csspart cta - A card's call to action (a link to its landing page).
 */
export class OpCardList extends OpFormatElement {
  static override styles = [
    formatStyles,
    css`
      .list {
        display: grid;
        gap: 12px;
        margin: 0;
        padding: 0;
        list-style: none;
      }

      .card {
        position: relative;
        display: grid;
        gap: 6px;
        min-width: 0;
        padding: 12px 14px;
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }

      .head {
        display: flex;
        gap: 8px;
        align-items: baseline;
        justify-content: space-between;
        min-width: 0;
      }

      .title {
        margin: 0;
        overflow: hidden;
        font-size: 15px;
        font-weight: 600;
        white-space: nowrap;
        text-overflow: ellipsis;
      }

      time {
        flex: none;
        font-size: 12px;
        color: var(--_muted);
      }

      .summary {
        margin: 0;
        font-size: 13px;
        color: var(--_muted);
        overflow-wrap: anywhere;
      }

      .image {
        width: 100%;
        border-radius: calc(var(--_radius) / 2);
      }

      .foot {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        justify-content: space-between;
      }

      .cta {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        font-weight: 600;
        color: var(--_accent);
      }
    `,
  ];

  static override properties = { ...OpFormatElement.properties, cards: { attribute: false } };

  declare cards: Card[];

  protected override firstUpdated(): void {
    const items = this.renderRoot.querySelectorAll('.card');
    this.cards.forEach((card, index) => {
      this.report.shown(card.creative, items[index] as Element);
    });
  }

  protected override render() {
    const format = new Intl.DateTimeFormat(this.report.messages.locale, {
      timeZone: TIME_ZONE,
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    return html`<ul class="list" aria-label=${this.words.messages}>
      ${this.cards.map(
        (card) => html`<li class="card">
          <div class="head">
            <p class="title" part="title">${card.title}</p>
            ${
              card.publishedAt
                ? html`<time part="time" datetime=${card.publishedAt.toISOString()}
                  >${format.format(card.publishedAt)}</time
                >`
                : nothing
            }
          </div>
          ${card.image ? this.renderImage(card.image, { className: 'image' }) : nothing}
          <p class="summary" part="summary">${card.summary}</p>
          <div class="foot">
            ${this.renderLink(card.creative, card.landingUrl, card.cta ?? this.words.learnMore, 'cta', 'cta')}
            ${this.renderChrome(card.creative)}
          </div>
          ${this.renderAbout(card.creative)}
        </li>`,
      )}
    </ul>`;
  }
}

/** A card of `creative`, or undefined when one of its fields is malformed or its landing page unsafe. */
function cardOf(creative: Creative, report: FormatReporter): Card | undefined {
  const texts = textsOf(creative);
  const title = text(texts.title, 60);
  const summary = text(texts.summary, 200);
  const cta = texts.cta === undefined ? undefined : text(texts.cta, 16);
  const image = creative.assets.image === undefined ? undefined : imageOf(creative.assets.image, report.session);
  const time = typeof texts.publishedAt === 'string' ? new Date(texts.publishedAt) : undefined;
  const landingUrl = landingOf(creative, report.session);
  const malformed =
    (texts.cta !== undefined && !cta) ||
    (creative.assets.image !== undefined && !image) ||
    (texts.publishedAt !== undefined && !(time && Number.isFinite(time.getTime())));
  if (!title || !summary || !landingUrl || malformed) return undefined;
  return { creative, title, summary, cta, image, publishedAt: time, landingUrl };
}

/**
 * The cards of the card-list candidates, `candidates[0]` first; undefined when that one cannot be shown. A later
 * candidate that cannot be shown is left out.
 */
export function create(candidates: readonly Creative[], report: FormatReporter): HTMLElement | undefined {
  const cards = viewsOf(candidates, MAX_CARDS, (creative) => cardOf(creative, report));
  if (!cards) return undefined;
  const element = createFormatElement<OpCardList>(
    'op-card-list',
    OpCardList,
    report,
    'title, summary, time, image, cta',
  );
  element.cards = cards;
  return element;
}

declare global {
  interface HTMLElementTagNameMap {
    'op-card-list': OpCardList;
  }
}
