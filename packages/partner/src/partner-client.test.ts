import { expect } from '@open-wc/testing';
import { CLIENT_ERRORS, createPartnerClient, PartnerApiError } from './partner-client.js';
import { errorJson, fakePartnerApi, ME, meAnswer } from './test-support/fake-partner-api.js';
import { FakeXhr } from './test-support/images.js';

const createXhr = FakeXhr.create;

async function rejection(promise: Promise<unknown>): Promise<PartnerApiError> {
  try {
    await promise;
  } catch (error) {
    return error as PartnerApiError;
  }
  throw new Error('expected a rejection');
}

describe('partner client', () => {
  it('asks GET /me with the bearer token and reads the partner', async () => {
    const api = fakePartnerApi({ 'GET me': meAnswer() });
    const me = await api.client.me();
    expect(me.eligible).to.equal(true);
    expect(me.slots.map((slot) => slot.id)).to.deep.equal(ME.slots.map((slot) => slot.id));
    expect(api.requests[0]?.headers.get('Authorization')).to.equal('Bearer test-token');
    expect(api.client.endpoint).to.equal(new URL('/v1/partner/', location.href).href);
  });

  it('turns error JSON into a PartnerApiError with its code and fields (JSON pointers read as dotted paths)', async () => {
    const api = fakePartnerApi({
      'POST applications': () =>
        errorJson(400, 'invalid-application', '申请信息有误', [
          { field: 'landingUrl', code: 'invalid', reason: 'port', message: '落地页地址不能指定端口。' },
          { field: '/contact/phone', code: 'invalid-phone', message: '电话格式不正确', reason: 42 },
          { field: 42, code: 'ignored' },
        ]),
    });
    const error = await rejection(api.client.createApplication({} as never));
    expect(error).to.be.instanceOf(PartnerApiError);
    expect(error.status).to.equal(400);
    expect(error.code).to.equal('invalid-application');
    expect(error.fields).to.deep.equal([
      { field: 'landingUrl', code: 'invalid', reason: 'port', message: '落地页地址不能指定端口。' },
      { field: 'contact.phone', code: 'invalid-phone', message: '电话格式不正确' },
    ]);
    expect(api.requests[0]?.body).to.deep.equal({});
  });

  it('names 401 and 403 by their codes', async () => {
    const api = fakePartnerApi({
      'GET applications': () => errorJson(401, 'unauthorized', '未登录'),
      'GET applications/app-b': () => errorJson(403, 'forbidden', '无权访问'),
    });
    expect((await rejection(api.client.applications())).code).to.equal('unauthorized');
    const forbidden = await rejection(api.client.application('app-b'));
    expect([forbidden.status, forbidden.code]).to.deep.equal([403, 'forbidden']);
  });

  it('reports a network failure and an answer that is not the contract as codes of its own', async () => {
    const offline = createPartnerClient({
      token: 't',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    const network = await rejection(offline.me());
    expect([network.status, network.code]).to.deep.equal([0, CLIENT_ERRORS.network]);

    const proxy = createPartnerClient({
      token: 't',
      fetch: async () => new Response('<html>Bad gateway</html>', { status: 502 }),
    });
    const gateway = await rejection(proxy.report());
    expect([gateway.status, gateway.code]).to.deep.equal([502, CLIENT_ERRORS.unexpectedResponse]);

    const wrongShape = createPartnerClient({ token: 't', fetch: async () => Response.json({ v: 1, nothing: true }) });
    expect((await rejection(wrongShape.me())).code).to.equal(CLIENT_ERRORS.unexpectedResponse);
  });

  it('passes the report range in the query and rethrows an abort as the AbortError', async () => {
    const api = fakePartnerApi({
      'GET report.csv': () => new Response('\ufeffday,slot\n', { headers: { 'Content-Type': 'text/csv' } }),
    });
    const csv = await api.client.reportCsv({ from: '2026-11-01', to: '2026-11-26' });
    expect(await csv.text()).to.contain('day,slot');
    expect(api.requests[0]?.search).to.equal('?from=2026-11-01&to=2026-11-26');

    const aborted = new AbortController();
    const slow = createPartnerClient({
      token: 't',
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new TypeError('x')))),
    });
    const pending = rejection(slow.me(aborted.signal));
    aborted.abort();
    expect(((await pending) as unknown as DOMException).name).to.equal('AbortError');
  });

  it('rejects with the abort, not a bad answer, when the signal aborts while the body streams in', async () => {
    const controller = new AbortController();
    let pull: ReadableStreamDefaultController<Uint8Array> | undefined;
    const client = createPartnerClient({
      token: 'test-token',
      fetch: async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(stream) {
              pull = stream;
              stream.enqueue(new TextEncoder().encode('{"v":1,"totals":'));
            },
          }),
          { headers: { 'Content-Type': 'application/json' } },
        ),
    });
    const report = client.report({}, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    // The body never completes by itself: the stream fails as the connection would once aborted.
    pull?.error(new TypeError('network error'));
    const error = await rejection(report);
    expect((error as unknown as DOMException).name).to.equal('AbortError');
  });

  it('fetches an earlier upload by its id, and names a missing one by its code', async () => {
    const picture = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' });
    const api = fakePartnerApi({ 'GET uploads/up-logo': () => new Response(picture) });
    const fetched = await api.client.uploadedImage('up-logo');
    expect(new Uint8Array(await fetched.arrayBuffer())).to.deep.equal(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    expect((await rejection(api.client.uploadedImage('up-gone'))).code).to.equal('not-found');
  });

  it('uploads through XMLHttpRequest with its type, progress and the upload it answers', async () => {
    const client = createPartnerClient({ token: 'tok', createXhr });
    const progress: number[] = [];
    const image = new Blob([new Uint8Array(2048)], { type: 'image/png' });
    const pending = client.upload(image, 'image/png', { onProgress: (loaded, total) => progress.push(loaded / total) });
    const xhr = FakeXhr.last as FakeXhr;
    expect([xhr.method, new URL(xhr.url).pathname]).to.deep.equal(['POST', '/v1/partner/uploads']);
    expect(xhr.headers).to.include({ Authorization: 'Bearer tok', 'Content-Type': 'image/png' });
    expect(xhr.sent).to.equal(image);
    xhr.progress(1024, 2048);
    xhr.progress(2048, 2048);
    const upload = {
      id: 'up-0123456789abcdef',
      type: 'image/png',
      width: 64,
      height: 64,
      bytes: 2048,
      url: '/v1/partner/uploads/up-0123456789abcdef',
    };
    xhr.answer(201, { v: 1, upload });
    expect(await pending).to.deep.equal(upload);
    expect(progress).to.deep.equal([0.5, 1]);
    expect(client.resolve(upload.url)).to.equal(new URL(upload.url, location.href).href);
  });

  it('maps a refused upload to its error and aborts an upload on its signal', async () => {
    const client = createPartnerClient({ token: 'tok', createXhr });
    const refused = client.upload(new Blob(['x']), 'image/png');
    (FakeXhr.last as FakeXhr).answer(413, { v: 1, error: { code: 'upload-too-large', message: '文件过大' } });
    const error = await rejection(refused);
    expect([error.status, error.code]).to.deep.equal([413, 'upload-too-large']);

    const controller = new AbortController();
    const aborted = rejection(client.upload(new Blob(['x']), 'image/png', { signal: controller.signal }));
    controller.abort();
    expect((FakeXhr.last as FakeXhr).aborted).to.equal(true);
    expect(((await aborted) as unknown as DOMException).name).to.equal('AbortError');
  });
});
