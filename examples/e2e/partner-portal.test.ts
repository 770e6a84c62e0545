// The partner journey on /examples/partner-portal/, end to end against the real server, database and bundles:
// apply → make a creative in the studio → PNG exported → the preview link shows it in place on corporate-web,
// uncounted → submit → the bank approves → a downstream operator of the partner is served it → its exposure and
// click appear in the partner's report and CSV; a returned application reopened with its reason and its logo. And
// what must not work: another partner's data, a partner outside the programme, a javascript: landing page, a
// forbidden word, a file that is not an image, a forged preview token.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { FIELD_CODES } from '../../packages/core/src/partner-protocol.js';
import { PARTNER_WORDS } from '../../packages/partner/src/messages.js';
import { type Harness, openPage, startHarness, waitForSlots } from './harness.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PARTNER_A = 'opslot-dev-partner-chengchuan';
const PARTNER_B = 'opslot-dev-partner-qiwu';
const ADMIN = 'opslot-dev-admin-token';
// ent-hangyu-aero buys from ent-chengchuan: one hop downstream in the sample supply chain.
const DOWNSTREAM_OPERATOR = 'op-demo-hangyu-finance';

/** `YYYY-MM-DD` in Asia/Shanghai, `days` from today. */
const shanghaiDay = (days = 0) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

describe('partner words', () => {
  // Here rather than in the browser tests: this suite may import the protocol's list itself, so a new code on the
  // server fails here until the components have words for it.
  it('word every field code the server sends, in both locales', () => {
    for (const [locale, words] of Object.entries(PARTNER_WORDS)) {
      const missing = Object.values(FIELD_CODES).filter((code) => !Object.hasOwn(words.fieldErrors, code));
      assert.deepEqual(missing, [], `${locale} has no words for these codes`);
    }
  });
});

describe('partner portal journey', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  const api = async (path: string, token: string, init: RequestInit = {}) => {
    const response = await fetch(`${harness.origin}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers },
    });
    return { status: response.status, body: await response.json() };
  };
  const applicationCount = async () =>
    ((await api('/v1/partner/applications', PARTNER_A)).body.applications as unknown[]).length;

  it('goes from application to a served creative in the partner’s report, and keeps partners apart', async () => {
    const { page: portal, problems, context } = await openPage(harness, '/examples/partner-portal/');
    await context.addInitScript(recordRenders);
    context.setDefaultTimeout(10_000);
    const applicationPosts: string[] = [];
    portal.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/v1/partner/applications') {
        applicationPosts.push(request.postData() ?? '');
      }
    });

    // 1. Eligibility: the entry shows for a partner of the programme.
    await portal.getByRole('button', { name: '申请投放' }).click();

    // 2. Apply, first with a landing page that is a script: refused on the spot, nothing created.
    const apply = portal.locator('op-partner-apply');
    await apply.getByLabel('活动名称').fill('产业链伙伴五轴加工专享');
    await apply.getByRole('checkbox', { name: /^home-banner（/ }).check();
    await apply.getByLabel('开始日期').fill(shanghaiDay());
    await apply.getByLabel('结束日期').fill(shanghaiDay(30));
    await apply.locator('input[name="audienceKind"][value="supply-chain"]').check();
    await apply.getByLabel('落地页网址').fill('javascript:alert(1)');
    await apply.getByLabel('姓名').fill('李明');
    await apply.getByLabel('电话', { exact: true }).fill('0571-88886666');
    await apply.getByLabel('邮箱').fill('liming@chengchuan-precision.example');
    await apply.getByRole('button', { name: '提交申请' }).click();
    assert.equal(await apply.getByLabel('落地页网址').getAttribute('aria-invalid'), 'true');
    // Focus on the refused field says the form has answered: nothing can still be on its way.
    await until(() => apply.getByLabel('落地页网址').evaluate((input) => input.matches(':focus')));
    assert.deepEqual(applicationPosts, [], 'a javascript: landing page is never sent');
    assert.equal(await applicationCount(), 0, 'a javascript: landing page creates nothing');
    assert.deepEqual(await axeViolations(portal), [], 'axe on the form, its errors shown');

    await apply.getByLabel('落地页网址').fill('https://www.chengchuan-precision.example/partners/five-axis');
    await apply.getByRole('button', { name: '提交申请' }).click();

    // 3. The studio: forbidden words marked, a file that is not an image refused before it is sent.
    const studio = portal.locator('op-creative-studio');
    await studio.getByLabel('标题', { exact: true }).fill('行业第一的五轴机床');
    await studio.locator('mark', { hasText: '第一' }).waitFor();
    await studio.getByLabel('标题', { exact: true }).fill('五轴加工 产业链伙伴专享');
    assert.equal(await studio.locator('mark').count(), 0);
    await studio.getByLabel('副标题').fill('首单打样 7 天交付，量产价格锁定一年');
    await studio.getByLabel('按钮文字').fill('立即咨询');
    await studio.getByLabel('图片说明').fill('澄川精密 五轴加工 产业链伙伴专享');

    const uploads: string[] = [];
    portal.on('request', (request) => {
      if (request.url().endsWith('/v1/partner/uploads')) uploads.push(request.url());
    });
    await studio.locator('#image').setInputFiles({
      name: 'photo.png',
      mimeType: 'image/png',
      buffer: Buffer.from('GIF89a not really a png'),
    });
    await studio.locator('#image-problem').waitFor();
    assert.equal(uploads.length, 0, 'refused before sending');

    await studio.locator('#image').setInputFiles({
      name: 'machine.png',
      mimeType: 'image/png',
      buffer: await pngFrom(portal, 480, 360),
    });
    await studio.getByRole('status').filter({ hasText: '主图 已上传（480×360）' }).waitFor();
    await studio.getByRole('button', { name: '保存素材' }).click();
    await studio.getByText('素材已保存。').waitFor();

    // The PNG the studio drew and exported: a real PNG at the slot's size.
    const download = studio.getByRole('link', { name: '下载 PNG' });
    assert.equal(await download.getAttribute('download'), 'home-banner-960x240.png');
    const exported = await portal.evaluate(
      async (href) => {
        const blob = await (await fetch(href)).blob();
        const bitmap = await createImageBitmap(blob);
        const head = [...new Uint8Array(await blob.slice(0, 8).arrayBuffer())];
        return { type: blob.type, width: bitmap.width, height: bitmap.height, head };
      },
      (await download.getAttribute('href')) as string,
    );
    assert.deepEqual(exported, {
      type: 'image/png',
      width: 960,
      height: 240,
      head: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    });
    assert.deepEqual(await axeViolations(portal), [], 'axe on the studio and its previews');
    const [application] = (await api('/v1/partner/applications', PARTNER_A)).body.applications;
    const creativeId: string = application.creatives[0].id;

    // 4. Preview in place: the link opens corporate-web with the creative in its slot, marked, its events uncounted.
    await studio.getByRole('button', { name: '生成预览链接' }).click();
    const previewLink = await studio.locator('a[href*="opslot_preview="]').getAttribute('href');
    assert.ok(previewLink?.startsWith(`${harness.origin}/examples/corporate-web/?opslot_preview=`), previewLink ?? '');
    const preview = await context.newPage();
    const previewEvents: Record<string, unknown>[] = [];
    preview.on('request', (request) => {
      if (request.url().endsWith('/v1/events')) previewEvents.push(...JSON.parse(request.postData() ?? '{}').events);
    });
    await preview.goto(previewLink as string);
    await waitForSlots(preview);
    const shown = await slotShows(preview, 'home-banner');
    assert.equal(shown.creativeId, creativeId);
    assert.deepEqual(shown.labels, ['广告', '预览']);
    assert.match(shown.image, /\/v1\/partner\/uploads\/up-[0-9a-f]{64}$/);
    // One continuous second in view: a viewable exposure, were it counted.
    await until(() => previewEvents.some((event) => event.creativeId === creativeId && event.type === 'viewable'));
    await preview.close();
    assert.ok(
      previewEvents.filter((event) => event.creativeId === creativeId).every((event) => event.preview === true),
    );
    assert.deepEqual(await countsOf(creativeId), { renders: 0, viewable: 0, clicks: 0 });

    // 5. Submit; the bank approves it, ranking it first in its slot.
    await studio.getByRole('button', { name: '提交审核' }).click();
    await studio.getByText('已提交审核，银行审核通过后开始投放。').waitFor();
    const approved = await api(`/v1/admin/reviews/${application.id}`, ADMIN, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', priority: 60 }),
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));

    // A downstream operator of the partner signs in to corporate-web: the creative is served, seen and clicked.
    const operatorPage = await context.newPage();
    const operatorEvents: Record<string, unknown>[] = [];
    operatorPage.on('request', (request) => {
      if (request.url().endsWith('/v1/events')) operatorEvents.push(...JSON.parse(request.postData() ?? '{}').events);
    });
    await operatorPage.goto(`${harness.origin}/examples/corporate-web/`);
    await waitForSlots(operatorPage);
    await operatorPage.evaluate((operator) => {
      const { opslot } = window as unknown as {
        opslot: {
          setOperator(key: string): void;
          refresh(ids?: string[], options?: { force: boolean }): Promise<string[]>;
        };
      };
      opslot.setOperator(operator);
      opslot.refresh(['home-banner'], { force: true });
    }, DOWNSTREAM_OPERATOR);
    await operatorPage.waitForFunction(
      (id) => (window as unknown as { renders: Record<string, string> }).renders['home-banner'] === id,
      creativeId,
    );
    const served = await slotShows(operatorPage, 'home-banner');
    assert.equal(served.creativeId, creativeId);
    assert.deepEqual(served.labels, ['广告']);
    // One continuous second in view before the click, so that the counts below hold a viewable exposure.
    await until(() => operatorEvents.some((event) => event.creativeId === creativeId && event.type === 'viewable'));
    await operatorPage.locator('op-slot[slot-id="home-banner"] a').click();
    // A partner's landing page is outside the bank: the leave-the-bank notice asks first; the operator stays.
    await operatorPage.getByRole('dialog').getByRole('button', { name: '取消' }).click();
    await until(async () => (await countsOf(creativeId)).clicks === 1);
    // Exactly what the operator did: the preview's render and viewable exposure before it are not counted.
    assert.deepEqual(await countsOf(creativeId), { renders: 1, viewable: 1, clicks: 1 });

    // 6. The partner's report shows them, and its CSV.
    await portal.reload();
    const report = portal.locator('op-partner-report');
    await report.locator('dl').waitFor();
    assert.deepEqual(await axeViolations(portal), [], 'axe on the report and its chart');
    const totals = await report.locator('dd').allTextContents();
    assert.deepEqual(totals, ['1', '1', '100.00%']);
    assert.deepEqual(await report.locator('tbody').last().locator('tr').first().locator('th, td').allTextContents(), [
      'home-banner',
      '企业网银（电脑端）',
      '1',
      '1',
      '100.00%',
    ]);
    await report.getByRole('button', { name: '导出 CSV' }).click();
    const csvHref = (await report.locator('a[download$=".csv"]').getAttribute('href')) as string;
    const csv = await portal.evaluate(async (href) => (await fetch(href)).text(), csvHref);
    assert.match(csv, /^\uFEFF?day,slot,channel,exposures,clicks,ctr\r?\n/);
    assert.match(csv, new RegExp(`${shanghaiDay()},home-banner,corporate-web,1,1,1(\\.0+)?\\r?\\n`));

    // Partner B reads neither A's application nor A's report.
    assert.equal((await api(`/v1/partner/applications/${application.id}`, PARTNER_B)).status, 403);
    assert.equal((await api(`/v1/partner/report?campaignId=${application.id}`, PARTNER_B)).status, 403);
    assert.deepEqual((await api('/v1/partner/applications', PARTNER_B)).body.applications, []);

    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
    await context.close();
  });

  it('returns an application with the bank’s reason, and reopens it with its logo so that only the words change', async () => {
    const { page: portal, problems, context } = await openPage(harness, '/examples/partner-portal/');
    context.setDefaultTimeout(10_000);
    // Made through the API, as the portal would have on an earlier visit: a native card with its logo, submitted.
    const logo = await fetch(`${harness.origin}/v1/partner/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${PARTNER_A}`, 'Content-Type': 'image/png' },
      body: new Uint8Array(await pngFrom(portal, 120, 120)),
    });
    const logoId: string = ((await logo.json()) as { upload: { id: string } }).upload.id;
    const created = await api('/v1/partner/applications', PARTNER_A, {
      method: 'POST',
      body: JSON.stringify({
        campaignName: '澄川精密 原生卡片推广',
        slotIds: ['corp-web-native'],
        startDate: shanghaiDay(1),
        endDate: shanghaiDay(20),
        landingUrl: 'https://www.chengchuan-precision.example/native',
        audience: { kind: 'all' },
        contact: { name: '李明', phone: '0571-88886666', email: 'liming@chengchuan-precision.example' },
      }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const applicationId: string = created.body.application.id;
    const creative = await api(`/v1/partner/applications/${applicationId}/creatives`, PARTNER_A, {
      method: 'POST',
      body: JSON.stringify({
        slotId: 'corp-web-native',
        template: 'native-card',
        fields: {
          title: '五轴加工 伙伴专享',
          subtitle: '',
          cta: '立即咨询',
          brandColor: '#1f5fa8',
          logoUploadId: logoId,
        },
        alt: '澄川精密 五轴加工 伙伴专享',
      }),
    });
    assert.equal(creative.status, 201, JSON.stringify(creative.body));
    assert.equal(
      (await api(`/v1/partner/applications/${applicationId}/submit`, PARTNER_A, { method: 'POST' })).status,
      200,
    );
    const reason = '标题请写明伙伴专享的适用条件。';
    const rejected = await api(`/v1/admin/reviews/${applicationId}`, ADMIN, {
      method: 'POST',
      body: JSON.stringify({ decision: 'reject', reason }),
    });
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));

    // Back in the portal: the returned application is offered, and the studio says why it came back.
    await portal.reload();
    const creativePosts: string[] = [];
    portal.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith(`/applications/${applicationId}/creatives`)) {
        creativePosts.push(request.postData() ?? '');
      }
    });
    await portal.getByRole('button', { name: '修改被退回的申请「澄川精密 原生卡片推广」' }).click();
    const studio = portal.locator('op-creative-studio');
    assert.deepEqual(await studio.locator('.review dd').allTextContents(), ['已退回', reason]);
    // The saved logo is back, fetched from the server by its id: nothing to upload again.
    await studio.getByText('已上传（120×120）').waitFor();
    assert.equal(await studio.getByLabel('标题', { exact: true }).inputValue(), '五轴加工 伙伴专享');
    assert.deepEqual(await axeViolations(portal), [], 'axe on the reopened studio, its reason shown');

    await studio.getByLabel('标题', { exact: true }).fill('五轴加工 首单伙伴专享');
    await studio.getByRole('button', { name: '保存素材' }).click();
    await studio.getByText('素材已保存。').waitFor();
    assert.equal(JSON.parse(creativePosts[0] ?? '{}').fields.logoUploadId, logoId);
    await studio.getByRole('button', { name: '提交审核' }).click();
    await studio.getByText('已提交审核，银行审核通过后开始投放。').waitFor();
    assert.deepEqual(await studio.locator('.review dd').allTextContents(), ['审核中']);
    assert.equal(
      (await api(`/v1/partner/applications/${applicationId}`, PARTNER_A)).body.application.status,
      'submitted',
    );

    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
    await context.close();
  });

  it('shows no entry to an enterprise outside the programme', async () => {
    const { page, context } = await openPage(harness, '/examples/partner-portal/?partner=yunjian', undefined, () => {
      const seen = window as unknown as { partnerReady?: boolean };
      document.addEventListener('op-partner-ready', () => {
        seen.partnerReady = true;
      });
    });
    // The entry's own answer of /me, not just the page's markup, decides what shows.
    await page.waitForFunction(() => (window as unknown as { partnerReady?: boolean }).partnerReady === true);
    await page.locator('#portal-closed').waitFor();
    assert.equal(await page.locator('op-partner-entry button').count(), 0);
    assert.equal(await page.locator('#report').isHidden(), true);
    await context.close();
  });

  it('ignores a forged preview token: the page shows its own creatives and says why', async () => {
    const { page, problems, context } = await openPage(
      harness,
      '/examples/corporate-web/?opslot_preview=eyJmb3JnZWQiOnRydWV9.bm90LWEtbWFj',
      undefined,
      () => {
        const seen = window as unknown as { diagnostics: unknown[]; renders: Record<string, string> };
        seen.diagnostics = [];
        seen.renders = {};
        document.addEventListener('op-diagnostic', (event) => seen.diagnostics.push((event as CustomEvent).detail));
        document.addEventListener('op-render', (event) => {
          const { slotId, creativeId } = (event as CustomEvent).detail;
          seen.renders[slotId] = creativeId;
        });
      },
    );
    await waitForSlots(page);
    const banner = await slotShows(page, 'home-banner');
    assert.deepEqual(banner.labels, ['广告']);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { diagnostics: unknown[] }).diagnostics), [
      { code: 'preview-refused', message: 'invalid' },
    ]);
    assert.deepEqual(problems.pageErrors, []);
    await context.close();
  });

  /** The viewable exposures, renders and clicks the collector counted for a creative. */
  async function countsOf(creativeId: string) {
    const response = await fetch(`${harness.origin}/v1/stats?creativeId=${creativeId}`);
    const { creatives } = (await response.json()) as {
      creatives: { renders: number; exposures: number; clicks: number }[];
    };
    const [row] = creatives;
    return { renders: row?.renders ?? 0, viewable: row?.exposures ?? 0, clicks: row?.clicks ?? 0 };
  }
});

/** Keeps, per slot, the creative of its latest `op-render`; runs in the page before its scripts. */
function recordRenders() {
  const seen = window as unknown as { renders: Record<string, string> };
  seen.renders = {};
  document.addEventListener('op-render', (event) => {
    const { slotId, creativeId } = (event as CustomEvent).detail;
    seen.renders[slotId] = creativeId;
  });
}

/** What a slot shows: the creative of its latest `op-render`, its chrome's labels and its image's URL. */
async function slotShows(page: Page, slotId: string) {
  return page.evaluate((id) => {
    const root = document.querySelector(`op-slot[slot-id="${id}"]`)?.shadowRoot;
    return {
      creativeId: (window as unknown as { renders: Record<string, string> }).renders[id],
      labels: [...(root?.querySelectorAll('.label') ?? [])].map((label) => label.textContent),
      image: root?.querySelector('img')?.currentSrc ?? '',
    };
  }, slotId);
}

/** A PNG of `width`×`height` drawn by the browser, as a partner's photo would be. */
async function pngFrom(page: Page, width: number, height: number): Promise<Buffer> {
  const base64 = await page.evaluate(
    ([w, h]) => {
      const canvas = document.createElement('canvas');
      canvas.width = w as number;
      canvas.height = h as number;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      const gradient = context.createLinearGradient(0, 0, w as number, h as number);
      gradient.addColorStop(0, '#1d4e89');
      gradient.addColorStop(1, '#8fb8de');
      context.fillStyle = gradient;
      context.fillRect(0, 0, w as number, h as number);
      return canvas.toDataURL('image/png').split(',')[1] as string;
    },
    [width, height],
  );
  return Buffer.from(base64, 'base64');
}

/** The ids of the rules axe-core finds broken on the page as it stands. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: { run: (context: unknown) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> };
    };
    const { violations } = await axe.run(document);
    return violations.map((violation) => `${violation.id} ${JSON.stringify(violation.nodes.map((n) => n.target))}`);
  });
}

/** Polls `condition` every 100 ms for up to 10 s. */
async function until(condition: () => boolean | Promise<boolean>) {
  for (let tries = 0; tries < 100; tries++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail('timed out waiting for a condition');
}
