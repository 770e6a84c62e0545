// The report's chart: daily exposures and clicks as two bar panels over one day axis, drawn as SVG by hand. A
// charting library would cost more bytes than the whole report for two bar series, and would need its own work for
// an accessible name and a table fallback; here the chart is an image with a summary, and the table carries the data.

import type { PartnerReport } from '@opslot/core';
import { html, svg, type TemplateResult } from 'lit';

const WIDTH = 720;
const PANEL = 110;
const GAP = 28;
const LEFT = 56;
const BOTTOM = 22;
const HEIGHT = PANEL * 2 + GAP + BOTTOM + 8;

export interface ChartWords {
  exposures: string;
  clicks: string;
  summary: string;
  format: (value: number) => string;
}

/** The bars of one series in a panel whose top is at `top`, scaled to the series' own maximum. */
function panel(
  days: PartnerReport['byDay'],
  value: (day: PartnerReport['byDay'][number]) => number,
  top: number,
  className: string,
  label: string,
  format: (value: number) => string,
) {
  const max = Math.max(1, ...days.map(value));
  const step = (WIDTH - LEFT) / Math.max(1, days.length);
  const barWidth = Math.max(1, step * 0.7);
  return svg`<g class=${className}>
    <text class="axis" x=${LEFT - 6} y=${top + 10} text-anchor="end">${format(max)}</text>
    <text class="axis" x=${LEFT - 6} y=${top + PANEL} text-anchor="end">0</text>
    <text class="series" x=${LEFT} y=${top - 6}>${label}</text>
    <line class="baseline" x1=${LEFT} x2=${WIDTH} y1=${top + PANEL} y2=${top + PANEL}></line>
    ${days.map((day, index) => {
      const height = (value(day) / max) * PANEL;
      return svg`<rect x=${LEFT + index * step + (step - barWidth) / 2} y=${top + PANEL - height} width=${barWidth} height=${height}
        ><title>${day.day} ${label} ${format(value(day))}</title></rect
      >`;
    })}
  </g>`;
}

/** The chart as an image whose name is `words.summary`; the caller shows the same figures as a table. */
export function renderReportChart(report: PartnerReport, words: ChartWords): TemplateResult {
  const days = report.byDay;
  const step = (WIDTH - LEFT) / Math.max(1, days.length);
  // A label every few days, so that they never overlap.
  const every = Math.max(1, Math.ceil(days.length / 8));
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label=${words.summary} focusable="false">
    ${panel(days, (day) => day.exposures, 18, 'exposures', words.exposures, words.format)}
    ${panel(days, (day) => day.clicks, 18 + PANEL + GAP, 'clicks', words.clicks, words.format)}
    ${days.map((day, index) =>
      index % every === 0
        ? svg`<text class="axis" x=${LEFT + index * step + step / 2} y=${HEIGHT - 4} text-anchor="middle">${day.day.slice(5)}</text>`
        : null,
    )}
  </svg>`;
}
