import { expect, fixture, html } from '@open-wc/testing';
import '../define.js';
import type { PartnerReport } from '@opslot/core';
import { errorJson, fakePartnerApi } from '../test-support/fake-partner-api.js';
import { shanghaiToday } from '../validate-application.js';
import type { OpPartnerReport } from './op-partner-report.js';

const REPORT: PartnerReport = {
  from: '2026-11-24',
  to: '2026-11-26',
  totals: { exposures: 3000, clicks: 45, ctr: 0.015 },
  byDay: [
    { day: '2026-11-24', exposures: 1000, clicks: 10, ctr: 0.01 },
    { day: '2026-11-25', exposures: 0, clicks: 0, ctr: 0 },
    { day: '2026-11-26', exposures: 2000, clicks: 35, ctr: 0.0175 },
  ],
  bySlot: [
    { slotId: 'home-banner', channel: 'corporate-web', exposures: 2500, clicks: 40, ctr: 0.016 },
    { slotId: 'corp-mobile-home-banner', channel: 'corporate-mobile', exposures: 500, clicks: 5, ctr: 0.01 },
  ],
};

const root = (element: OpPartnerReport) => element.shadowRoot as ShadowRoot;

async function until<T>(read: () => T, what: string): Promise<NonNullable<T>> {
  for (let i = 0; i < 200; i++) {
    const value = read();
    if (value) return value as NonNullable<T>;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function report(api: ReturnType<typeof fakePartnerApi>, lang = 'zh-CN') {
  const element = await fixture<OpPartnerReport>(
    html`<op-partner-report lang=${lang} .client=${api.client}></op-partner-report>`,
  );
  await until(
    () =>
      api.requests.length > 0 && !/加载|Loading/.test(root(element).querySelector('[role=status]')?.textContent ?? ''),
    'the report',
  );
  await element.updateComplete;
  return element;
}

describe('<op-partner-report>', () => {
  it('asks for the last 30 days and shows totals, an accessible chart with its table, and the slots', async () => {
    const api = fakePartnerApi({ 'GET report': () => Response.json({ v: 1, ...REPORT }) });
    const element = await report(api);
    const query = new URLSearchParams(api.requests[0]?.search);
    expect(query.get('to')).to.equal(shanghaiToday());
    expect(query.get('from')).to.equal(shanghaiToday(Date.now() - 29 * 86_400_000));
    expect([...root(element).querySelectorAll('dd')].map((dd) => dd.textContent)).to.deep.equal([
      '3,000',
      '45',
      '1.50%',
    ]);
    const chart = root(element).querySelector('svg[role=img]') as SVGElement;
    expect(chart.getAttribute('aria-label')).to.equal(
      '2026-11-24 至 2026-11-26 每日曝光与点击柱状图，共曝光 3,000 次，点击 45 次。',
    );
    expect(chart.querySelectorAll('.exposures rect')).to.have.length(3);
    const tallest = [...chart.querySelectorAll('.exposures rect')].map((rect) => Number(rect.getAttribute('height')));
    expect(tallest[2]).to.be.greaterThan(tallest[0] as number);
    expect(tallest[1]).to.equal(0);
    expect(root(element).querySelectorAll('details tbody tr')).to.have.length(3);
    const slots = [...root(element).querySelectorAll('details ~ table tbody tr')].map((row) =>
      row.textContent?.replace(/\s+/g, ''),
    );
    // slot, channel by name, exposures 500, clicks 5, CTR 1.00%
    expect(slots[1]).to.equal('corp-mobile-home-banner企业手机银行50051.00%');
    await expect(element).to.be.accessible();
  });

  it('downloads the CSV through the API with the token, as a link to the file', async () => {
    const api = fakePartnerApi({
      'GET report': () => Response.json({ v: 1, ...REPORT }),
      'GET report.csv': () =>
        new Response('\ufeffday,slot,channel,exposures,clicks,ctr\n', {
          headers: { 'Content-Type': 'text/csv; charset=utf-8' },
        }),
    });
    const element = await report(api);
    (root(element).querySelector('.actions button') as HTMLButtonElement).click();
    const link = await until(() => root(element).querySelector<HTMLAnchorElement>('a[download]'), 'the CSV link');
    const csvRequest = api.requests.find((request) => request.path === 'report.csv');
    expect(csvRequest?.headers.get('Authorization')).to.equal('Bearer test-token');
    expect(link.download).to.match(/^opslot-report-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(await (await fetch(link.href)).text()).to.contain('day,slot,channel');
    expect(root(element).activeElement).to.equal(link);
  });

  it('exports the CSV of the report shown, not of dates edited since', async () => {
    const api = fakePartnerApi({
      'GET report': () => Response.json({ v: 1, ...REPORT }),
      'GET report.csv': () => new Response('day\n', { headers: { 'Content-Type': 'text/csv' } }),
    });
    const element = await report(api);
    const shown = new URLSearchParams(api.requests[0]?.search);
    const from = root(element).querySelector('#from') as HTMLInputElement;
    from.value = '2026-01-01';
    from.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    (root(element).querySelector('.actions button') as HTMLButtonElement).click();
    const link = await until(() => root(element).querySelector<HTMLAnchorElement>('a[download]'), 'the CSV link');
    const csv = new URLSearchParams(api.requests.find((request) => request.path === 'report.csv')?.search);
    expect([csv.get('from'), csv.get('to')]).to.deep.equal([shown.get('from'), shown.get('to')]);
    expect(link.download).to.equal(`opslot-report-${shown.get('from')}-${shown.get('to')}.csv`);
  });

  it('shows the answer of the latest question only, and asks again when put back in the page', async () => {
    const answers: ((response: Response) => void)[] = [];
    const api = fakePartnerApi({
      'GET report': () => new Promise<Response>((resolve) => answers.push(resolve)),
    });
    const element = await fixture<OpPartnerReport>(html`<op-partner-report .client=${api.client}></op-partner-report>`);
    await until(() => answers.length === 1, 'the first question');
    // Moved elsewhere in the page while it asks: the question is cut short, and asked again once back.
    const parent = element.parentElement as HTMLElement;
    element.remove();
    parent.append(element);
    await until(() => answers.length === 2, 'the question asked again');
    (root(element).querySelector('form button') as HTMLButtonElement).click();
    await until(() => answers.length === 3, 'the third question');
    // The fake ignores aborts: the older answers arrive, late, and must not show.
    const older = { ...REPORT, totals: { exposures: 1, clicks: 1, ctr: 1 } };
    answers[2]?.(Response.json({ v: 1, ...REPORT }));
    await until(() => root(element).querySelector('dd'), 'the totals');
    answers[1]?.(Response.json({ v: 1, ...older }));
    answers[0]?.(Response.json({ v: 1, ...older }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await element.updateComplete;
    expect(root(element).querySelector('dd')?.textContent).to.equal('3,000');
  });

  it('says so when the period has no exposures', async () => {
    const empty = { ...REPORT, totals: { exposures: 0, clicks: 0, ctr: 0 }, byDay: [], bySlot: [] };
    const element = await report(fakePartnerApi({ 'GET report': () => Response.json({ v: 1, ...empty }) }));
    expect(root(element).querySelector('[role=status]')?.textContent).to.equal('所选期间暂无曝光数据。');
    expect(root(element).querySelector('svg')).to.equal(null);
  });

  it('shows a refused report clearly, with a retry, and refuses a backwards range without asking', async () => {
    const api = fakePartnerApi({ 'GET report': () => errorJson(403, 'forbidden', '无权查看该活动') });
    const element = await report(api, 'en');
    expect(root(element).querySelector('[role=alert]')?.textContent).to.contain('You may not see this content.');
    await expect(element).to.be.accessible();
    api.on('GET report', () => Response.json({ v: 1, ...REPORT }));
    (root(element).querySelector('[role=alert] button') as HTMLButtonElement).click();
    await until(() => root(element).querySelector('svg'), 'the chart');

    const from = root(element).querySelector('#from') as HTMLInputElement;
    from.value = '2099-01-01';
    from.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    (root(element).querySelector('form button') as HTMLButtonElement).click();
    await element.updateComplete;
    expect(root(element).querySelector('#range-error')?.textContent).to.equal(
      'Choose a valid date range (at most 366 days).',
    );
    expect(api.requests).to.have.length(2);
  });
});
