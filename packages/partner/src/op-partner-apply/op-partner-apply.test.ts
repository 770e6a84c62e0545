import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define.js';
import type { PartnerApplication } from '@opslot/core';
import { errorJson, fakePartnerApi, ME, meAnswer } from '../test-support/fake-partner-api.js';
import { shanghaiToday } from '../validate-application.js';
import type { OpPartnerApply } from './op-partner-apply.js';

const root = (element: OpPartnerApply) => element.shadowRoot as ShadowRoot;
const control = (element: OpPartnerApply, id: string) => root(element).querySelector(`#${id}`) as HTMLInputElement;

async function settled(element: OpPartnerApply) {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve));
    await element.updateComplete;
  }
}

async function form(api = fakePartnerApi({ 'GET me': meAnswer() })) {
  const element = await fixture<OpPartnerApply>(html`<op-partner-apply .client=${api.client}></op-partner-apply>`);
  await settled(element);
  return element;
}

async function type(element: OpPartnerApply, id: string, value: string) {
  const input = control(element, id);
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  input.blur();
  await element.updateComplete;
}

async function fillValid(element: OpPartnerApply) {
  await type(element, 'campaignName', '数控机床以旧换新');
  control(element, 'slot-0').click();
  await type(element, 'startDate', shanghaiToday());
  await type(element, 'endDate', new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
  await type(element, 'landingUrl', 'https://www.chengchuan-precision.example/offer');
  await type(element, 'contact-name', '张工');
  await type(element, 'contact-phone', '13812345678');
  await type(element, 'contact-email', 'zhang@chengchuan-precision.example');
}

const errorOf = (element: OpPartnerApply, id: string) => {
  const input = control(element, id);
  const described = input.getAttribute('aria-describedby') ?? '';
  const error = described.split(' ').find((each) => each.endsWith('-error'));
  return {
    invalid: input.getAttribute('aria-invalid'),
    text: error ? root(element).querySelector(`#${error}`)?.textContent : undefined,
  };
};

describe('<op-partner-apply>', () => {
  it('is an accessible form of native inputs with labels', async () => {
    const element = await form();
    expect(control(element, 'campaignName').labels?.[0]?.textContent).to.equal('活动名称');
    expect(root(element).querySelectorAll('input[type=checkbox]')).to.have.length(ME.slots.length);
    await expect(element).to.be.accessible();
  });

  it('refuses a javascript: landing URL as the partner leaves the field, with a zh-CN message tied to it', async () => {
    const element = await form();
    await type(element, 'landingUrl', 'javascript:alert(1)');
    expect(errorOf(element, 'landingUrl')).to.deep.equal({ invalid: 'true', text: '仅支持 https:// 开头的网址。' });
    await type(element, 'landingUrl', 'https://shop.other.example/');
    expect(errorOf(element, 'landingUrl').text).to.equal('该网址不在贵企业登记的域名内。');
    // Worded by the precise reason of the rule the server applies.
    await type(element, 'landingUrl', 'https://chengchuan-precision.example:8443/');
    expect(errorOf(element, 'landingUrl').text).to.equal('网址中不能指定端口（如 :8443）。');
    await type(element, 'landingUrl', 'https://chengchuan-precision.example/a b');
    expect(errorOf(element, 'landingUrl').text).to.equal('网址中不能有空格、反斜杠或控制字符。');
    // Surrounding spaces typed or pasted are trimmed away: the form checks and sends the trimmed URL.
    await type(element, 'landingUrl', '  https://chengchuan-precision.example/  ');
    expect(errorOf(element, 'landingUrl')).to.deep.equal({ invalid: 'false', text: undefined });
    await expect(element).to.be.accessible();
  });

  it("words the server's landing-URL refusal by its reason, in English on request", async () => {
    const api = fakePartnerApi({ 'GET me': meAnswer() });
    api.on('POST applications', () =>
      errorJson(400, 'invalid-application', '申请信息有误', [
        { field: 'landingUrl', code: 'invalid', reason: 'credentials', message: '落地页地址不能包含用户名或密码。' },
      ]),
    );
    const element = await fixture<OpPartnerApply>(
      html`<op-partner-apply lang="en" .client=${api.client}></op-partner-apply>`,
    );
    await settled(element);
    await fillValid(element);
    (root(element).querySelector('button[type=submit]') as HTMLButtonElement).click();
    await settled(element);
    expect(errorOf(element, 'landingUrl').text).to.equal('The URL may not contain a user name or password.');
  });

  it('on submit shows every error and moves focus to the first invalid field, sending nothing', async () => {
    const api = fakePartnerApi({ 'GET me': meAnswer() });
    const element = await form(api);
    await type(element, 'campaignName', '数控机床');
    (root(element).querySelector('button[type=submit]') as HTMLButtonElement).click();
    await settled(element);
    expect(root(element).activeElement?.id).to.equal('slot-0');
    // As the server: an empty address is an invalid one.
    expect(errorOf(element, 'contact-email').text).to.equal('请输入有效的邮箱地址（英文字符，不超过 100 个字符）。');
    expect(errorOf(element, 'campaignName').invalid).to.equal('false');
    expect(api.requests.filter((request) => request.method === 'POST')).to.have.length(0);
  });

  it('sends a valid application and dispatches op-partner-applied with it', async () => {
    const api = fakePartnerApi({ 'GET me': meAnswer() });
    api.on('POST applications', (request) =>
      Response.json(
        { v: 1, application: { id: 'app-1', status: 'draft', creatives: [], ...(request.body as object) } },
        { status: 201 },
      ),
    );
    const element = await form(api);
    await fillValid(element);
    await type(element, 'landingUrl', ' https://www.chengchuan-precision.example/offer\n');
    const applied = oneEvent(element, 'op-partner-applied');
    control(element, 'contact-email').focus();
    await sendKeys({ press: 'Enter' });
    const application = (await applied).detail as PartnerApplication;
    expect(application.id).to.equal('app-1');
    expect(application.slotIds).to.deep.equal(['home-banner']);
    expect(application.audience).to.deep.equal({ kind: 'all' });
    expect(application.contact.phone).to.equal('13812345678');
    expect(application.landingUrl).to.equal('https://www.chengchuan-precision.example/offer');
  });

  it("shows the server's field errors on their fields and focuses the first", async () => {
    const api = fakePartnerApi({ 'GET me': meAnswer() });
    api.on('POST applications', () =>
      errorJson(400, 'invalid-application', '申请信息有误', [
        { field: 'landingUrl', code: 'domain-not-allowed', message: '落地页域名不在白名单内' },
        { field: 'contact.phone', code: 'phone-blocked', message: '该号码已被停用' },
      ]),
    );
    const element = await form(api);
    await fillValid(element);
    (root(element).querySelector('button[type=submit]') as HTMLButtonElement).click();
    await settled(element);
    expect(errorOf(element, 'landingUrl')).to.deep.equal({ invalid: 'true', text: '该网址不在贵企业登记的域名内。' });
    // A code the form does not know shows the server's message.
    expect(errorOf(element, 'contact-phone').text).to.equal('该号码已被停用');
    expect(root(element).activeElement?.id).to.equal('landingUrl');
    // Editing the field clears the server's verdict on it.
    await type(element, 'landingUrl', 'https://www.chengchuan-precision.example/new');
    expect(errorOf(element, 'landingUrl').invalid).to.equal('false');
    expect(errorOf(element, 'contact-phone').invalid).to.equal('true');
  });

  it("shows the server's errors on what has no control of its own in the form's message", async () => {
    const api = fakePartnerApi({ 'GET me': meAnswer() });
    api.on('POST applications', () =>
      errorJson(400, 'invalid-application', '申请信息有误', [
        { field: 'audience', code: 'invalid', message: '请选择投放人群' },
        { field: '', code: 'invalid', message: '请求体应为 JSON 对象。' },
      ]),
    );
    const element = await form(api);
    await fillValid(element);
    (root(element).querySelector('button[type=submit]') as HTMLButtonElement).click();
    await settled(element);
    const status = root(element).querySelector('p[role=status]')?.textContent ?? '';
    expect(status).to.contain('申请信息有误，请按提示修改。');
    expect(status).to.contain('请选择投放对象：全部企业客户，或供应链上下游 1–3 级。');
    expect(status).to.contain('格式不正确，请按提示填写。');
    expect(root(element).querySelectorAll('[aria-invalid=true]')).to.have.length(0);
  });

  it('asks /me again when put back in the page after a move cut the question short', async () => {
    let answer: ((response: Response) => void) | undefined;
    const api = fakePartnerApi({ 'GET me': () => new Promise<Response>((resolve) => (answer = resolve)) });
    const element = await fixture<OpPartnerApply>(html`<op-partner-apply .client=${api.client}></op-partner-apply>`);
    const parent = element.parentElement as HTMLElement;
    element.remove();
    api.on('GET me', meAnswer());
    parent.append(element);
    await settled(element);
    expect(api.requests.filter((request) => request.path === 'me')).to.have.length(2);
    expect(control(element, 'campaignName')).to.not.equal(null);
    answer?.(meAnswer()());
  });

  it('says clearly when the partner is signed out or outside the programme, with a retry', async () => {
    const api = fakePartnerApi({ 'GET me': meAnswer() });
    api.on('POST applications', () => errorJson(403, 'not-eligible', '未加入计划'));
    const element = await form(api);
    await fillValid(element);
    (root(element).querySelector('button[type=submit]') as HTMLButtonElement).click();
    await settled(element);
    expect(root(element).querySelector('[role=alert]')?.textContent).to.contain('贵企业暂未加入流量开放计划。');

    const signedOut = await form(fakePartnerApi({ 'GET me': () => errorJson(401, 'unauthorized', '未登录') }));
    expect(root(signedOut).querySelector('[role=alert]')?.textContent).to.contain('登录已失效或未登录');
    await expect(signedOut).to.be.accessible();
  });
});
