import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../define.js';
import type { PartnerApplication } from '@opslot/core';
import { errorJson, fakePartnerApi, ME, meAnswer } from '../test-support/fake-partner-api.js';
import { FakeXhr, imageFile, uploadOf } from '../test-support/images.js';
import type { OpCreativeStudio } from './op-creative-studio.js';

const APPLICATION: PartnerApplication = {
  id: 'app-1',
  partnerId: ME.partner.id,
  status: 'draft',
  campaignName: '数控机床以旧换新',
  slotIds: ['home-banner', 'corp-web-native'],
  startDate: '2026-12-01',
  endDate: '2026-12-31',
  landingUrl: 'https://www.chengchuan-precision.example/offer',
  audience: { kind: 'all' },
  contact: { name: '张工', phone: '13812345678', email: 'zhang@chengchuan-precision.example' },
  creatives: [],
  createdAt: 1,
  updatedAt: 1,
};

const LOGO_URL = new URL('../../../elements/src/test-support/creative-120x120.svg', import.meta.url).pathname;

const PAGES = { 'corporate-web': '/examples/corporate-web/' };

async function until<T>(read: () => T, what = 'condition'): Promise<NonNullable<T>> {
  for (let i = 0; i < 200; i++) {
    const value = read();
    if (value) return value as NonNullable<T>;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function studio(
  api = fakePartnerApi({ 'GET me': meAnswer() }, FakeXhr.create),
  lang = 'zh-CN',
  application = APPLICATION,
) {
  FakeXhr.all = [];
  const element = await fixture<OpCreativeStudio>(
    html`<op-creative-studio lang=${lang} .client=${api.client} .application=${application} .previewPages=${PAGES}></op-creative-studio>`,
  );
  await until(() => element.shadowRoot?.querySelector('form'), 'the form');
  return { element, api };
}

/** The partner API as it answers a saved creative: with what was sent, under `saved`'s id, format and time. */
function apiThatSaves(saved = { id: 'cr-1', format: 'banner', createdAt: 2 }) {
  const api = fakePartnerApi({ 'GET me': meAnswer() }, FakeXhr.create);
  api.on('POST applications/app-1/creatives', (request) =>
    Response.json({ v: 1, creative: { ...saved, ...(request.body as object) } }, { status: 201 }),
  );
  return api;
}

const root = (element: OpCreativeStudio) => element.shadowRoot as ShadowRoot;

const $ = <T extends Element = HTMLInputElement>(element: OpCreativeStudio, selector: string) =>
  element.shadowRoot?.querySelector(selector) as T;

async function type(element: OpCreativeStudio, id: string, value: string) {
  const input = $(element, `#${id}`);
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await element.updateComplete;
}

async function choose(element: OpCreativeStudio, id: string, file: File) {
  const input = $(element, `#${id}`);
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function fill(element: OpCreativeStudio) {
  await type(element, 'title', '数控机床以旧换新');
  await type(element, 'subtitle', '补贴比例高达 8%');
  await type(element, 'cta', '立即了解');
  await type(element, 'alt', '澄川精密机械 数控机床以旧换新');
}

describe('<op-creative-studio>', () => {
  it('offers the banner templates for a banner slot and previews the PNG at its size with the ad label, accessibly', async () => {
    const { element } = await studio();
    const templates = [...root(element).querySelectorAll<HTMLInputElement>('input[name=template]')].map(
      (input) => input.value,
    );
    expect(templates).to.deep.equal(['banner-left-image', 'banner-centered']);
    await fill(element);
    const banners = await until(() => {
      const found = root(element).querySelectorAll('.banner');
      return found.length === 2 ? found : undefined;
    }, 'the banner previews');
    const image = banners[0]?.querySelector('img') as HTMLImageElement;
    expect([image.getAttribute('width'), image.getAttribute('height')]).to.deep.equal(['960', '240']);
    expect(banners[0]?.querySelector('.ad-chrome')?.textContent?.replace(/\s+/g, '')).to.equal(
      `广告${ME.partner.name}`,
    );
    // A render of an earlier keystroke may still land and replace (and revoke) the PNG being decoded: decode the
    // latest one.
    for (let attempt = 0; ; attempt++) {
      try {
        await image.decode();
        break;
      } catch (error) {
        if (attempt > 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    expect([image.naturalWidth, image.naturalHeight]).to.deep.equal([960, 240]);
    expect($<HTMLAnchorElement>(element, 'a[download]').download).to.equal('home-banner-960x240.png');
    await expect(element).to.be.accessible();
  });

  it('highlights forbidden words as they are typed and will not save them', async () => {
    const { element, api } = await studio();
    await fill(element);
    await type(element, 'title', '行业第一的最佳机床');
    const marks = [...root(element).querySelectorAll('#title-error mark')].map((mark) => mark.textContent);
    expect(marks).to.deep.equal(['第一', '最佳']);
    expect($(element, '#title').getAttribute('aria-invalid')).to.equal('true');
    expect($(element, '#title').getAttribute('aria-describedby')).to.contain('title-error');
    $(element, '#cta').focus();
    $<HTMLButtonElement>(element, 'button[type=submit]').click();
    await until(() => root(element).activeElement?.id === 'title', 'focus on the title');
    expect(FakeXhr.all).to.have.length(0);
    expect(api.requests.filter((request) => request.method === 'POST')).to.have.length(0);
    await expect(element).to.be.accessible();
  });

  it('refuses an oversized or wrong-type image before sending anything', async () => {
    const { element } = await studio();
    const png = new Uint8Array(await (await imageFile(96, 96)).arrayBuffer());
    await choose(element, 'logo', new File([png, new Uint8Array(1024 * 1024)], 'big.png', { type: 'image/png' }));
    expect(await until(() => $(element, '#logo-problem')?.textContent)).to.equal('文件超过 1 MB，请压缩后再上传。');
    expect($(element, '#logo').getAttribute('aria-invalid')).to.equal('true');
    await choose(element, 'logo', new File(['GIF89a......'], 'logo.png', { type: 'image/png' }));
    await until(() => $(element, '#logo-problem')?.textContent?.includes('PNG、JPEG 或 WebP'));
    expect(FakeXhr.all).to.have.length(0);
  });

  it('uploads an image with its progress shown, then previews a native slot in the real native format', async () => {
    const { element } = await studio();
    const select = $<HTMLSelectElement>(element, '#slot');
    select.value = 'corp-web-native';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await element.updateComplete;
    const templates = [...root(element).querySelectorAll<HTMLInputElement>('input[name=template]')].map(
      (input) => input.value,
    );
    expect(templates).to.deep.equal(['native-card']);
    await fill(element);
    await choose(element, 'logo', await imageFile(96, 96));
    const xhr = await until(() => FakeXhr.all[0], 'the upload');
    expect(xhr.headers['Content-Type']).to.equal('image/png');
    xhr.progress(40, 100);
    const progress = await until(() => $<HTMLProgressElement>(element, 'progress'), 'the progress bar');
    await element.updateComplete;
    expect(progress.value).to.equal(0.4);
    // Served by the test server, as the API serves an upload.
    xhr.answer(201, { v: 1, upload: { ...(await uploadOf(xhr.sent as Blob, 'up-logo')), url: LOGO_URL } });
    // The studio's one live region says it; the field keeps saying it too.
    expect(await until(() => $(element, '[role=status]')?.textContent)).to.equal('标志（Logo） 已上传（96×96）');
    expect(root(element).querySelectorAll('[role=status]')).to.have.length(1);
    expect($(element, '#logo ~ .hint')?.textContent).to.equal('已上传（96×96）');
    // The real <op-slot> and <op-native> of @opslot/elements, fed the creative from the fields.
    const native = await until(() => {
      const slot = root(element).querySelector('op-slot');
      return slot?.shadowRoot?.querySelector('op-native')?.shadowRoot?.querySelector('.title');
    }, 'the native preview');
    expect(native.textContent).to.equal('数控机床以旧换新');
    expect(root(element).querySelectorAll('op-slot')).to.have.length(2);
  });

  it('saves the PNG at the slot size with the fields, then gives a preview link and submits for review', async () => {
    const api = apiThatSaves();
    api.on('POST creatives/cr-1/preview-token', () =>
      Response.json(
        {
          v: 1,
          token: 'tok.mac',
          expiresAt: Date.UTC(2026, 11, 1, 2, 30),
          slotId: 'home-banner',
          channel: 'corporate-web',
        },
        { status: 201 },
      ),
    );
    api.on('POST applications/app-1/submit', () =>
      Response.json({ v: 1, application: { ...APPLICATION, status: 'submitted' } }),
    );
    const { element } = await studio(api);
    await fill(element);
    const saved = oneEvent(element, 'op-partner-creative-saved');
    $<HTMLButtonElement>(element, 'button[type=submit]').click();
    const xhr = await until(() => FakeXhr.all[0], 'the PNG upload');
    const png = await createImageBitmap(xhr.sent as Blob);
    expect([xhr.headers['Content-Type'], png.width, png.height]).to.deep.equal(['image/png', 960, 240]);
    xhr.answer(201, { v: 1, upload: await uploadOf(xhr.sent as Blob, 'up-png') });
    expect((await saved).detail.id).to.equal('cr-1');
    const sent = api.requests.find((request) => request.path === 'applications/app-1/creatives')?.body;
    expect(sent).to.deep.equal({
      slotId: 'home-banner',
      template: 'banner-left-image',
      fields: { title: '数控机床以旧换新', subtitle: '补贴比例高达 8%', cta: '立即了解', brandColor: '#1a56db' },
      pngUploadId: 'up-png',
      alt: '澄川精密机械 数控机床以旧换新',
    });

    (
      await until(() =>
        [...root(element).querySelectorAll('button')].find((button) => button.textContent?.trim() === '生成预览链接'),
      )
    ).click();
    const link = await until(() => $<HTMLAnchorElement>(element, 'a[target=_blank]'), 'the preview link');
    expect(link.href).to.equal(new URL('/examples/corporate-web/?opslot_preview=tok.mac', location.href).href);
    expect(link.nextElementSibling?.textContent).to.contain('链接有效期至');
    await expect(element).to.be.accessible();

    const submitted = oneEvent(element, 'op-partner-submitted');
    [...root(element).querySelectorAll('button')].find((button) => button.textContent?.trim() === '提交审核')?.click();
    expect((await submitted).detail.status).to.equal('submitted');
  });

  it("shows the server's forbidden words on their field, and a refused save with a retry", async () => {
    const api = fakePartnerApi({ 'GET me': meAnswer() }, FakeXhr.create);
    api.on('POST applications/app-1/creatives', () =>
      errorJson(400, 'forbidden-words', '含有禁用词', [
        { field: 'subtitle', code: 'forbidden-words', words: ['遥遥领先'], message: '副标题含有禁用词' },
      ]),
    );
    const { element } = await studio(api);
    await fill(element);
    await type(element, 'subtitle', '技术遥遥领先');
    $(element, '#cta').focus();
    $<HTMLButtonElement>(element, 'button[type=submit]').click();
    const xhr = await until(() => FakeXhr.all[0], 'the PNG upload');
    xhr.answer(201, { v: 1, upload: await uploadOf(xhr.sent as Blob, 'up-png') });
    $(element, '#cta').focus();
    await until(() => root(element).activeElement?.id === 'subtitle', 'focus on the subtitle');
    expect([...root(element).querySelectorAll('#subtitle-error mark')].map((mark) => mark.textContent)).to.deep.equal([
      '遥遥领先',
    ]);

    api.on('POST applications/app-1/creatives', () => errorJson(409, 'not-editable', '申请审核中'));
    await type(element, 'subtitle', '以旧换新补贴');
    $<HTMLButtonElement>(element, 'button[type=submit]').click();
    await until(() => FakeXhr.all[1], 'the second PNG upload');
    FakeXhr.all[1]?.answer(201, { v: 1, upload: await uploadOf(FakeXhr.all[1]?.sent as Blob, 'up-png-2') });
    const alert = await until(() => $(element, '.failure'), 'the inline error');
    expect(alert.textContent).to.contain('申请已提交审核，暂不能修改。');
    expect(alert.querySelector('button')?.textContent).to.equal('重试');
  });

  it('keeps an edit typed while a save runs unsaved', async () => {
    const api = apiThatSaves();
    const { element } = await studio(api);
    await fill(element);
    const saved = oneEvent(element, 'op-partner-creative-saved');
    $<HTMLButtonElement>(element, 'button[type=submit]').click();
    const xhr = await until(() => FakeXhr.all[0], 'the PNG upload');
    await type(element, 'title', '数控机床焕新季');
    xhr.answer(201, { v: 1, upload: await uploadOf(xhr.sent as Blob, 'up-png') });
    expect((await saved).detail.fields.title).to.equal('数控机床以旧换新');
    await element.updateComplete;
    expect(root(element).textContent).not.to.contain('素材已保存。');
    const buttons = [...root(element).querySelectorAll('button')].map((button) => button.textContent?.trim());
    expect(buttons).not.to.include('生成预览链接');
    expect($(element, '#title').value).to.equal('数控机床焕新季');
  });

  it("puts the server's errors on the logo and image controls, and the others in the form's message", async () => {
    const api = fakePartnerApi({ 'GET me': meAnswer() }, FakeXhr.create);
    api.on('POST applications/app-1/creatives', () =>
      errorJson(400, 'invalid-creative', '广告内容有误', [
        { field: 'fields.logoUploadId', code: 'upload-not-found', message: '找不到该图片' },
        { field: 'fields.imageUploadId', code: 'upload-not-found', message: '找不到该图片' },
        { field: 'pngUploadId', code: 'image-mismatch', message: '广告图片应为 960×240 的 PNG。' },
        { field: 'template', code: 'template-mismatch', message: '模板不适用' },
      ]),
    );
    const { element } = await studio(api);
    await fill(element);
    $(element, '#cta').focus();
    $<HTMLButtonElement>(element, 'button[type=submit]').click();
    const xhr = await until(() => FakeXhr.all[0], 'the PNG upload');
    xhr.answer(201, { v: 1, upload: await uploadOf(xhr.sent as Blob, 'up-png') });
    await until(() => root(element).activeElement?.id === 'logo', 'focus on the logo');
    expect($(element, '#logo').getAttribute('aria-invalid')).to.equal('true');
    expect($(element, '#logo-error').textContent).to.equal('找不到该图片，请重新上传。');
    expect($(element, '#image').getAttribute('aria-invalid')).to.equal('true');
    const message = $(element, 'p.field-error[role=alert]').textContent ?? '';
    expect(message).to.contain('素材信息有误，请按提示修改。');
    expect(message).to.contain('广告图片与广告位尺寸不符，请重新保存素材。');
    expect(message).to.contain('该模板不适用于所选广告位。');
  });

  it('retries the action that failed, and keeps focus on the save button while it saves', async () => {
    const api = apiThatSaves();
    const { element } = await studio(api);
    await fill(element);
    const save = $<HTMLButtonElement>(element, 'button[type=submit]');
    save.focus();
    save.click();
    const xhr = await until(() => FakeXhr.all[0], 'the PNG upload');
    await element.updateComplete;
    expect(save.getAttribute('aria-disabled')).to.equal('true');
    expect(root(element).activeElement).to.equal(save);
    xhr.answer(201, { v: 1, upload: await uploadOf(xhr.sent as Blob, 'up-png') });
    await until(() => root(element).textContent?.includes('素材已保存。'), 'the saved status');

    // Saved and unchanged, the partner saves again, and that fails: the retry saves, it does not ask for a link.
    api.on('POST applications/app-1/creatives', () => errorJson(503, 'unavailable', '服务维护中'));
    save.click();
    const retryUpload = await until(() => FakeXhr.all[1], 'the second PNG upload');
    retryUpload.answer(201, { v: 1, upload: await uploadOf(retryUpload.sent as Blob, 'up-png-2') });
    const retry = await until(() => $<HTMLButtonElement>(element, '.failure button'), 'the retry');
    retry.click();
    await until(() => FakeXhr.all[2], 'the PNG upload of the retry');
    expect(api.requests.filter((request) => request.path === 'creatives/cr-1/preview-token')).to.have.length(0);
  });

  it('neither saves nor submits an application under review, and says why', async () => {
    const api = fakePartnerApi({ 'GET me': meAnswer() }, FakeXhr.create);
    const { element } = await studio(api, 'zh-CN', { ...APPLICATION, status: 'submitted' });
    await fill(element);
    const save = $<HTMLButtonElement>(element, 'button[type=submit]');
    expect(save.getAttribute('aria-disabled')).to.equal('true');
    expect($(element, `#${save.getAttribute('aria-describedby')}`).textContent).to.equal(
      '申请已提交审核或已通过，素材不能再修改。',
    );
    save.click();
    const submit = [...root(element).querySelectorAll('button')].find(
      (button) => button.textContent?.trim() === '提交审核',
    ) as HTMLButtonElement;
    expect(submit.getAttribute('aria-disabled')).to.equal('true');
    submit.click();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(FakeXhr.all).to.have.length(0);
    expect(api.requests.filter((request) => request.method === 'POST')).to.have.length(0);
  });

  describe('a rejected application reopened', () => {
    const SAVED_WORDS = { title: '数控机床以旧换新', subtitle: '', cta: '立即了解', brandColor: '#0b3d91' };
    const SAVED = { alt: '澄川精密机械 数控机床以旧换新', createdAt: 2 };
    const REJECTED: PartnerApplication = {
      ...APPLICATION,
      status: 'rejected',
      reviewReason: '标题中的“以旧换新”需附补贴条件。',
      creatives: [
        {
          ...SAVED,
          id: 'cr-native',
          slotId: 'corp-web-native',
          template: 'native-card',
          fields: { ...SAVED_WORDS, logoUploadId: 'up-logo' },
          pngUploadId: null,
          format: 'native',
        },
        {
          ...SAVED,
          id: 'cr-banner',
          slotId: 'home-banner',
          template: 'banner-left-image',
          fields: { ...SAVED_WORDS, logoUploadId: 'up-logo', imageUploadId: 'up-photo' },
          pngUploadId: 'up-old-png',
          format: 'banner',
        },
      ],
    };

    /** The API of a reopened application: its saved pictures served by id, each fetch counted. */
    async function reopened(lang = 'zh-CN', logo: () => Promise<Response> | Response = async () => pngResponse(96)) {
      const api = apiThatSaves({ id: 'cr-new', format: 'native', createdAt: 4 });
      api.on('GET uploads/up-logo', logo);
      api.on('GET uploads/up-photo', async () => pngResponse(160));
      return studio(api, lang, REJECTED);
    }
    const pngResponse = async (side: number) =>
      new Response(await imageFile(side, side), { headers: { 'Content-Type': 'image/png' } });

    it("shows the reviewer's reason with the application's status, describing the studio, accessibly", async () => {
      const { element } = await reopened();
      const terms = [...root(element).querySelectorAll('.review dt, .review dd')].map((each) => each.textContent);
      expect(terms).to.deep.equal(['申请状态', '已退回', '退回原因', '标题中的“以旧换新”需附补贴条件。']);
      const described = $(element, 'section').getAttribute('aria-describedby')?.split(' ') ?? [];
      expect(described.map((id) => root(element).getElementById(id)?.textContent)).to.deep.equal([
        '已退回',
        '标题中的“以旧换新”需附补贴条件。',
      ]);
      await expect(element).to.be.accessible();
    });

    it('says it in English on request, and drops the reason once the application is submitted again', async () => {
      const { element } = await reopened('en');
      const terms = [...root(element).querySelectorAll('.review dt, .review dd')].map((each) => each.textContent);
      expect(terms).to.deep.equal(['Status', 'Returned', 'Why it was returned', '标题中的“以旧换新”需附补贴条件。']);
      element.application = { ...REJECTED, status: 'submitted' };
      await element.updateComplete;
      expect([...root(element).querySelectorAll('.review dd')].map((each) => each.textContent)).to.deep.equal([
        'Under review',
      ]);
      expect($(element, '#review-reason')).to.equal(null);
    });

    it("restores the saved creative's logo and image, so that only the words need fixing before saving", async () => {
      const { element, api } = await reopened();
      // The banner slot first: its logo and picture come back from the server, as saved.
      await until(() => $(element, '#image ~ .hint')?.textContent === '已上传（160×160）', 'the restored image');
      expect($(element, '#logo ~ .hint')?.textContent).to.equal('已上传（96×96）');
      const select = $<HTMLSelectElement>(element, '#slot');
      select.value = 'corp-web-native';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await element.updateComplete;
      await until(() => $(element, '#logo ~ .hint')?.textContent === '已上传（96×96）', 'the restored logo');
      expect($<HTMLInputElement>(element, '#title').value).to.equal('数控机床以旧换新');
      // As saved, the preview link is offered until the partner edits.
      expect(root(element).textContent).to.contain('生成预览链接');
      await type(element, 'title', '以旧换新补贴 8%');
      $<HTMLButtonElement>(element, 'button[type=submit]').click();
      const xhr = await until(() => FakeXhr.all[0], 'the PNG upload');
      xhr.answer(201, { v: 1, upload: await uploadOf(xhr.sent as Blob, 'up-png') });
      await until(() => root(element).textContent?.includes('素材已保存。'), 'the saved status');
      // Only the PNG went up: the logo was not uploaded again.
      expect(FakeXhr.all).to.have.length(1);
      const sent = api.requests.find((request) => request.path === 'applications/app-1/creatives')?.body;
      expect(sent).to.deep.include({ slotId: 'corp-web-native', template: 'native-card' });
      expect((sent as { fields: object }).fields).to.deep.equal({
        title: '以旧换新补贴 8%',
        subtitle: '',
        cta: '立即了解',
        brandColor: '#0b3d91',
        logoUploadId: 'up-logo',
      });
      expect(api.requests.filter((request) => request.path === 'uploads/up-logo')).to.have.length(2);
    });

    it('starts afresh on another application, and keeps the drafts when the same one is answered again', async () => {
      const { element } = await reopened();
      await until(() => $(element, '#logo ~ .hint'), 'the restored logo');
      await type(element, 'cta', '马上咨询');
      element.application = { ...REJECTED, status: 'submitted' };
      await element.updateComplete;
      expect($<HTMLInputElement>(element, '#cta').value).to.equal('马上咨询');
      element.application = { ...APPLICATION, id: 'app-2' };
      await element.updateComplete;
      expect($<HTMLInputElement>(element, '#title').value).to.equal('');
      expect($<HTMLInputElement>(element, '#cta').value).to.equal('');
      expect($(element, '#logo ~ .hint')).to.equal(null);
      expect(root(element).textContent).not.to.contain('生成预览链接');
    });

    it('offers a retry when a saved picture cannot be fetched back, and the save still asks for a logo', async () => {
      let answers = 0;
      const { element } = await reopened('zh-CN', async () =>
        ++answers <= 2 ? errorJson(503, 'unavailable', '服务维护中') : pngResponse(96),
      );
      const select = $<HTMLSelectElement>(element, '#slot');
      select.value = 'corp-web-native';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await element.updateComplete;
      const retry = await until(() => $<HTMLButtonElement>(element, '#logo ~ .failure button'), 'the retry');
      expect($(element, '#logo ~ .failure span').textContent).to.equal('服务维护中');
      $<HTMLButtonElement>(element, 'button[type=submit]').click();
      await element.updateComplete;
      expect($(element, '#logo-error').textContent).to.equal('原生卡片需要上传标志。');
      retry.click();
      await until(() => $(element, '#logo ~ .hint')?.textContent === '已上传（96×96）', 'the restored logo');
      expect($(element, '#logo ~ .failure')).to.equal(null);
    });
  });

  it('uploads only the file chosen last, and keeps a good upload when a later file is refused', async () => {
    const { element } = await studio();
    const first = await imageFile(96, 96);
    const second = await imageFile(128, 128);
    // The second is chosen while the first is still being checked.
    await choose(element, 'logo', first);
    await choose(element, 'logo', second);
    const xhr = await until(() => FakeXhr.all[0], 'the upload');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(FakeXhr.all).to.have.length(1);
    expect((xhr.sent as Blob).size).to.equal(second.size);
    xhr.answer(201, { v: 1, upload: { ...(await uploadOf(xhr.sent as Blob, 'up-logo')), url: LOGO_URL } });
    await until(() => root(element).textContent?.includes('已上传（128×128）'), 'the upload done');

    await choose(element, 'logo', new File(['GIF89a......'], 'logo.png', { type: 'image/png' }));
    await until(() => $(element, '#logo-problem')?.textContent?.includes('PNG、JPEG 或 WebP'), 'the refusal');
    expect(root(element).textContent).to.contain('已上传（128×128）');
    expect(FakeXhr.all).to.have.length(1);
  });

  it('says which fields are optional, and ignores a preview page of another origin', async () => {
    const api = apiThatSaves();
    api.on('POST creatives/cr-1/preview-token', () =>
      Response.json(
        { v: 1, token: 'tok.mac', expiresAt: 1, slotId: 'home-banner', channel: 'corporate-web' },
        { status: 201 },
      ),
    );
    const { element } = await studio(api, 'en');
    expect($(element, '#subtitle-hint').textContent).to.equal('Optional, up to 30 characters');
    expect($(element, '#title-hint').textContent).to.equal('2–18 characters');
    element.previewPages = { 'corporate-web': 'https://elsewhere.example/examples/corporate-web/' };
    await fill(element);
    $<HTMLButtonElement>(element, 'button[type=submit]').click();
    const xhr = await until(() => FakeXhr.all[0], 'the PNG upload');
    xhr.answer(201, { v: 1, upload: await uploadOf(xhr.sent as Blob, 'up-png') });
    (
      await until(() =>
        [...root(element).querySelectorAll('button')].find(
          (button) => button.textContent?.trim() === 'Get a preview link',
        ),
      )
    ).click();
    await until(() => root(element).textContent?.includes('No preview page is set'), 'the missing page');
    expect($(element, 'a[target=_blank]')).to.equal(null);
  });

  it('says clearly when the partner is signed out', async () => {
    const api = fakePartnerApi({ 'GET me': () => errorJson(401, 'unauthorized', '未登录') });
    const element = await fixture<OpCreativeStudio>(
      html`<op-creative-studio lang="en" .client=${api.client} .application=${APPLICATION}></op-creative-studio>`,
    );
    const alert = await until(() => element.shadowRoot?.querySelector('[role=alert]'), 'the error');
    expect(alert.textContent).to.contain('You are not signed in');
    await expect(element).to.be.accessible();
  });
});
