import { expect } from '@open-wc/testing';
import requestSchema from '../schema/decision-request.v1.schema.json' with { type: 'json' };
import { CONFIG_ERRORS, isQuiet, type OpslotConfig, readConfigBlock } from './config.js';
import { CHANNELS } from './protocol.js';
import { resolveConfig } from './resolve-config.js';
import { compileSchema } from './validate-schema.js';

const PAGE = { locale: 'en-GB', baseUrl: 'https://ebank.demo-bank.example/corporate/home?session=abc' };
const MINIMAL = { endpoint: '/v1/', channel: 'corporate-web' };

// A real P-256 public key; config checks only its shape.
const EC_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  kid: 'k1',
};

const codes = (inputs: unknown[], defaults = PAGE) => resolveConfig(inputs, defaults).errors.map((error) => error.code);
const configOf = (inputs: unknown[], defaults = PAGE) => resolveConfig(inputs, defaults).config as OpslotConfig;

/** A document holding the given body markup; its scripts never run. */
function documentWith(body: string): Document {
  const doc = document.implementation.createHTMLDocument('test');
  doc.body.innerHTML = body;
  return doc;
}

describe('readConfigBlock', () => {
  it('returns undefined when the page has no block', () => {
    expect(readConfigBlock(documentWith('<p>no config</p>'))).to.equal(undefined);
  });

  it('parses the JSON block', () => {
    const doc = documentWith(
      '<script type="application/json" id="opslot-config">{"endpoint":"/v1/","channel":"personal-web"}</script>',
    );
    expect(readConfigBlock(doc)).to.deep.equal({ endpoint: '/v1/', channel: 'personal-web' });
  });

  it('turns malformed JSON into an error that resolveConfig reports, without quoting the text', () => {
    const doc = documentWith(
      '<script type="application/json" id="opslot-config">{"endpoint":"/v1/", operator: 13812345678}</script>',
    );
    const { config, errors } = resolveConfig([readConfigBlock(doc)], PAGE);
    expect(config).to.equal(undefined);
    expect(errors.map((error) => error.code)).to.include(CONFIG_ERRORS.invalidJson);
    expect(JSON.stringify(errors)).not.to.contain('13812345678');
  });

  it('refuses an element with that id that is not a JSON script', () => {
    for (const markup of [
      '<div id="opslot-config">{"endpoint":"/v1/"}</div>',
      '<script type="text/plain" id="opslot-config">{"endpoint":"/v1/"}</script>',
    ]) {
      expect(codes([readConfigBlock(documentWith(markup)), MINIMAL])).to.deep.equal([CONFIG_ERRORS.invalidBlock]);
    }
  });

  it('accepts the type attribute in any case and with spaces', () => {
    const doc = documentWith('<script type=" Application/JSON " id="opslot-config">{"pageId":"home"}</script>');
    expect(readConfigBlock(doc)).to.deep.equal({ pageId: 'home' });
  });

  it('names the block in its errors', () => {
    for (const markup of [
      '<div id="opslot-config">{}</div>',
      '<script type="application/json" id="opslot-config">{</script>',
    ]) {
      const [error] = resolveConfig([readConfigBlock(documentWith(markup))], PAGE).errors;
      expect(error?.message).to.contain('opslot-config');
    }
  });

  it('cannot be imitated by JSON that looks like an error', () => {
    const lookalike = { code: CONFIG_ERRORS.invalidJson, message: 'fake' };
    expect(resolveConfig([lookalike, MINIMAL], PAGE).errors).to.deep.equal([]);
  });
});

describe('CONFIG_ERRORS', () => {
  it('keeps every code that pages and dashboards may match on', () => {
    expect(Object.values(CONFIG_ERRORS)).to.have.members([
      'config-invalid-json',
      'config-invalid-block',
      'config-invalid-input',
      'config-missing-endpoint',
      'config-invalid-endpoint',
      'config-missing-channel',
      'config-invalid-channel',
      'config-invalid-page-id',
      'config-invalid-locale',
      'config-invalid-operator',
      'config-operator-looks-personal',
      'config-invalid-personalized',
      'config-invalid-timeout',
      'config-invalid-slot',
      'config-invalid-public-key',
      'config-invalid-lazy-load',
      'config-invalid-collapse',
      'config-invalid-quiet-pages',
      'config-invalid-quiet-paths',
      'config-invalid-frequency',
      'config-invalid-vitals',
      'config-invalid-bank-domains',
      'config-invalid-leave-notice',
      'config-invalid',
    ]);
  });
});

describe('resolveConfig', () => {
  it('fills the defaults and resolves the endpoint against the page', () => {
    expect(resolveConfig([MINIMAL], PAGE)).to.deep.equal({
      config: {
        endpoint: 'https://ebank.demo-bank.example/v1/',
        channel: 'corporate-web',
        pageId: 'default',
        locale: 'en-GB',
        personalized: true,
        timeoutMs: 1500,
        slots: Object.assign(Object.create(null), {}),
        lazyLoad: { fetchMarginPercent: 100, renderMarginPercent: 100 },
        collapse: 'collapse',
        quietPages: [],
        quietPaths: [],
      },
      errors: [],
    });
    expect('operator' in configOf([MINIMAL])).to.equal(false);
    expect('publicKey' in configOf([MINIMAL])).to.equal(false);
  });

  it('describes an invalid value of every field with a code and a rule of its own', () => {
    const fields = ['endpoint', 'channel', 'pageId', 'locale', 'operator', 'personalized', 'timeoutMs', 'publicKey'];
    const more = ['lazyLoad', 'collapse', 'quietPages', 'quietPaths', 'frequency', 'vitalsSampleRate', 'bankDomains'];
    const all = [...fields, ...more, 'leaveNotice', 'slots'];
    const { errors } = resolveConfig([Object.fromEntries(all.map((field) => [field, Symbol('refused')]))], PAGE);
    expect(errors.map(({ message }) => message.split(':')[0])).to.have.members(all);
    expect(new Set(errors.map(({ code }) => code)).size).to.equal(all.length);
    for (const { code, message } of errors) {
      expect(code).to.match(/^config-invalid-[a-z-]+$/);
      expect(message).not.to.include('undefined');
    }
  });

  it('falls back to zh-CN when the page language is missing or not a language tag', () => {
    expect(configOf([MINIMAL], { ...PAGE, locale: '' }).locale).to.equal('zh-CN');
    expect(configOf([MINIMAL], { ...PAGE, locale: 'en_US' }).locale).to.equal('zh-CN');
  });

  it('merges inputs in order, field by field and slot by slot', () => {
    const block = {
      ...MINIMAL,
      pageId: 'home',
      operator: 'op.9f2c4e1ab37d',
      slots: { 'home-banner': { size: [960, 240] }, 'side-tile': { size: [300, 250] } },
    };
    const config = configOf([
      block,
      undefined,
      { pageId: 'transfer', personalized: false, slots: { 'side-tile': { size: [300, 600], formats: ['banner'] } } },
      { timeoutMs: 3000, locale: 'zh-HK' },
    ]);
    expect(config).to.include({
      pageId: 'transfer',
      operator: 'op.9f2c4e1ab37d',
      personalized: false,
      timeoutMs: 3000,
      locale: 'zh-HK',
    });
    expect({ ...config.slots }).to.deep.equal({
      'home-banner': { size: [960, 240] },
      'side-tile': { size: [300, 600], formats: ['banner'] },
    });
  });

  it('treats undefined as "not given" and null as "clear", so a page can drop the operator on logout', () => {
    const withOperator = { ...MINIMAL, operator: 'op.9f2c4e1ab37d' };
    expect(configOf([withOperator, { operator: undefined }]).operator).to.equal('op.9f2c4e1ab37d');
    expect('operator' in configOf([withOperator, { operator: null }])).to.equal(false);
    expect(configOf([{ ...MINIMAL, timeoutMs: 3000 }, { timeoutMs: null }]).timeoutMs).to.equal(1500);
  });

  it('clears every slot with slots: null, and keeps earlier slots when a later input adds one', () => {
    const first = { ...MINIMAL, slots: { 'home-banner': { size: [960, 240] } } };
    expect(Object.keys(configOf([first, { slots: { side: { size: [1, 1] } } }]).slots)).to.deep.equal([
      'home-banner',
      'side',
    ]);
    expect(Object.keys(configOf([first, { slots: null }, { slots: { side: { size: [1, 1] } } }]).slots)).to.deep.equal([
      'side',
    ]);
    expect(Object.keys(configOf([first, { slots: undefined }]).slots)).to.deep.equal(['home-banner']);
  });

  it('ignores unknown keys and inherited ones', () => {
    expect(resolveConfig([{ ...MINIMAL, colour: 'red', debug: true }], PAGE).errors).to.deep.equal([]);
    const inherits = Object.assign(Object.create({ operator: '13812345678', timeoutMs: 1 }), MINIMAL);
    const config = configOf([inherits]);
    expect(config.timeoutMs).to.equal(1500);
    expect('operator' in config).to.equal(false);
  });

  it('never lets __proto__ or constructor from JSON reach the result or Object.prototype', () => {
    const input = JSON.parse(
      '{"__proto__":{"endpoint":"https://evil.example/","polluted":true},"channel":"personal-web",' +
        '"slots":{"constructor":{"size":[1,1]},"home":{"size":[2,2]}}}',
    );
    expect(codes([input])).to.deep.equal([CONFIG_ERRORS.missingEndpoint]);
    const config = configOf([input, { endpoint: '/v1/' }]);
    expect(config.endpoint).to.equal('https://ebank.demo-bank.example/v1/');
    expect(Object.getPrototypeOf(config.slots)).to.equal(null);
    expect(Object.keys(config.slots)).to.deep.equal(['constructor', 'home']);
    expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
    const unconfigured = configOf([MINIMAL]);
    expect(unconfigured.slots.constructor).to.equal(undefined);
    expect(codes([MINIMAL, JSON.parse('{"slots":{"__proto__":{"size":[1,1]}}}')])).to.deep.equal([
      CONFIG_ERRORS.invalidSlot,
    ]);
  });

  it('refuses an input that is not an object, or that throws when read, without throwing', () => {
    expect(codes(['{"endpoint":"/v1/"}', MINIMAL])).to.deep.equal([CONFIG_ERRORS.invalidInput]);
    expect(codes([[MINIMAL], MINIMAL])).to.deep.equal([CONFIG_ERRORS.invalidInput]);
    const throwing = Object.defineProperty({}, 'endpoint', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(codes([MINIMAL, throwing])).to.deep.equal([CONFIG_ERRORS.invalidInput]);
  });

  it('gives no config at all while anything is wrong', () => {
    const { config, errors } = resolveConfig([{ ...MINIMAL, timeoutMs: 5 }], PAGE);
    expect(config).to.equal(undefined);
    expect(errors).to.have.length(1);
  });

  describe('fields', () => {
    const table: [field: string, input: Record<string, unknown>, code: string | undefined][] = [
      ['endpoint javascript:', { endpoint: 'javascript:alert(1)' }, CONFIG_ERRORS.invalidEndpoint],
      [
        'endpoint http on an https page',
        { endpoint: 'http://ebank.demo-bank.example/v1/' },
        CONFIG_ERRORS.invalidEndpoint,
      ],
      [
        'endpoint with credentials',
        { endpoint: 'https://u:p@ebank.demo-bank.example/v1/' },
        CONFIG_ERRORS.invalidEndpoint,
      ],
      ['endpoint not a string', { endpoint: 42 }, CONFIG_ERRORS.invalidEndpoint],
      ['endpoint cross-origin https', { endpoint: 'https://decide.demo-bank.example/v1/' }, undefined],
      ['channel unknown', { channel: 'atm' }, CONFIG_ERRORS.invalidChannel],
      ['channel in another case', { channel: 'Corporate-Web' }, CONFIG_ERRORS.invalidChannel],
      ['pageId with a slash', { pageId: 'corporate/home' }, CONFIG_ERRORS.invalidPageId],
      ['pageId too long', { pageId: 'p'.repeat(65) }, CONFIG_ERRORS.invalidPageId],
      ['pageId a URL', { pageId: 'https://ebank.demo-bank.example/home?acct=1' }, CONFIG_ERRORS.invalidPageId],
      ['locale with an underscore', { locale: 'zh_CN' }, CONFIG_ERRORS.invalidLocale],
      ['locale too long', { locale: `en${'-abcdefgh'.repeat(4)}` }, CONFIG_ERRORS.invalidLocale],
      ['personalized a string', { personalized: 'yes' }, CONFIG_ERRORS.invalidPersonalized],
      ['timeoutMs below 100', { timeoutMs: 99 }, CONFIG_ERRORS.invalidTimeout],
      ['timeoutMs above 30000', { timeoutMs: 30_001 }, CONFIG_ERRORS.invalidTimeout],
      ['timeoutMs fractional', { timeoutMs: 150.5 }, CONFIG_ERRORS.invalidTimeout],
      ['timeoutMs a string', { timeoutMs: '1500' }, CONFIG_ERRORS.invalidTimeout],
      ['timeoutMs 100', { timeoutMs: 100 }, undefined],
      ['timeoutMs 30000', { timeoutMs: 30_000 }, undefined],
      ['slots not an object', { slots: ['home'] }, CONFIG_ERRORS.invalidSlot],
      ['slot without size', { slots: { home: {} } }, CONFIG_ERRORS.invalidSlot],
      ['slot size of three', { slots: { home: { size: [1, 2, 3] } } }, CONFIG_ERRORS.invalidSlot],
      ['slot size zero', { slots: { home: { size: [0, 250] } } }, CONFIG_ERRORS.invalidSlot],
      ['slot size fractional', { slots: { home: { size: [300.5, 250] } } }, CONFIG_ERRORS.invalidSlot],
      [
        'slot format upper-case',
        { slots: { home: { size: [300, 250], formats: ['Banner'] } } },
        CONFIG_ERRORS.invalidSlot,
      ],
      ['slot formats empty', { slots: { home: { size: [300, 250], formats: [] } } }, CONFIG_ERRORS.invalidSlot],
      ['slot id with a space', { slots: { 'home banner': { size: [300, 250] } } }, CONFIG_ERRORS.invalidSlot],
      ['slot size 10000', { slots: { home: { size: [10_000, 1] } } }, undefined],
      ['slot size above 10000', { slots: { home: { size: [10_001, 1] } } }, CONFIG_ERRORS.invalidSlot],
      ['slot of 10 formats', { slots: { home: { size: [1, 1], formats: Array(10).fill('banner') } } }, undefined],
      [
        'slot of 11 formats',
        { slots: { home: { size: [1, 1], formats: Array(11).fill('banner') } } },
        CONFIG_ERRORS.invalidSlot,
      ],
      ['slot formats null', { slots: { home: { size: [1, 1], formats: null } } }, CONFIG_ERRORS.invalidSlot],
      ['slot formats a string', { slots: { home: { size: [1, 1], formats: 'banner' } } }, CONFIG_ERRORS.invalidSlot],
      ['slot null', { slots: { home: null } }, CONFIG_ERRORS.invalidSlot],
      ['operator a number', { operator: 12345678 }, CONFIG_ERRORS.invalidOperator],
      ['operator too short', { operator: 'abc123' }, CONFIG_ERRORS.invalidOperator],
      ['operator with a slash', { operator: 'tenant/abc12345' }, CONFIG_ERRORS.invalidOperator],
      ['publicKey an EC JWK', { publicKey: EC_JWK }, undefined],
      ['publicKey an OKP JWK without y', { publicKey: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } }, undefined],
      ['publicKey an array', { publicKey: [EC_JWK, { ...EC_JWK, kid: 'k2' }] }, undefined],
      ['publicKey empty', { publicKey: [] }, CONFIG_ERRORS.invalidPublicKey],
      ['publicKey a string', { publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' }, CONFIG_ERRORS.invalidPublicKey],
      ['publicKey without x', { publicKey: { kty: 'EC', crv: 'P-256', y: 'AAAA' } }, CONFIG_ERRORS.invalidPublicKey],
      ['publicKey y a number', { publicKey: { ...EC_JWK, y: 1 } }, CONFIG_ERRORS.invalidPublicKey],
      ['publicKey y null', { publicKey: { ...EC_JWK, y: null } }, CONFIG_ERRORS.invalidPublicKey],
      ['publicKey kty a number', { publicKey: { ...EC_JWK, kty: 2 } }, CONFIG_ERRORS.invalidPublicKey],
      ['publicKey a private key', { publicKey: { ...EC_JWK, d: 'secret' } }, CONFIG_ERRORS.invalidPublicKey],
      ['publicKey one bad among good', { publicKey: [EC_JWK, null] }, CONFIG_ERRORS.invalidPublicKey],
      ['publicKey nested array', { publicKey: [[EC_JWK]] }, CONFIG_ERRORS.invalidPublicKey],
      ['lazyLoad false', { lazyLoad: false }, undefined],
      ['lazyLoad true', { lazyLoad: true }, undefined],
      ['lazyLoad 0 and 1000', { lazyLoad: { fetchMarginPercent: 0, renderMarginPercent: 1000 } }, undefined],
      ['lazyLoad fractional', { lazyLoad: { fetchMarginPercent: 12.5 } }, undefined],
      ['lazyLoad above 1000', { lazyLoad: { fetchMarginPercent: 1001 } }, CONFIG_ERRORS.invalidLazyLoad],
      ['lazyLoad negative', { lazyLoad: { renderMarginPercent: -1 } }, CONFIG_ERRORS.invalidLazyLoad],
      ['lazyLoad NaN', { lazyLoad: { fetchMarginPercent: Number.NaN } }, CONFIG_ERRORS.invalidLazyLoad],
      ['lazyLoad Infinity', { lazyLoad: { fetchMarginPercent: Infinity } }, CONFIG_ERRORS.invalidLazyLoad],
      ['lazyLoad a string margin', { lazyLoad: { fetchMarginPercent: '100%' } }, CONFIG_ERRORS.invalidLazyLoad],
      ['lazyLoad a null margin', { lazyLoad: { renderMarginPercent: null } }, CONFIG_ERRORS.invalidLazyLoad],
      ['lazyLoad a number', { lazyLoad: 100 }, CONFIG_ERRORS.invalidLazyLoad],
      ['lazyLoad a string', { lazyLoad: 'false' }, CONFIG_ERRORS.invalidLazyLoad],
      ['lazyLoad an array', { lazyLoad: [100, 100] }, CONFIG_ERRORS.invalidLazyLoad],
      ['collapse keep-space', { collapse: 'keep-space' }, undefined],
      ['collapse unknown', { collapse: 'hide' }, CONFIG_ERRORS.invalidCollapse],
      ['collapse true', { collapse: true }, CONFIG_ERRORS.invalidCollapse],
      ['personalized false', { personalized: false }, undefined],
      ['quietPages page ids', { quietPages: ['transfer-confirm', 'sign'] }, undefined],
      ['quietPages a string', { quietPages: 'transfer-confirm' }, CONFIG_ERRORS.invalidQuietPages],
      ['quietPages with a slash', { quietPages: ['transfer/confirm'] }, CONFIG_ERRORS.invalidQuietPages],
      ['quietPages with a number', { quietPages: ['sign', 7] }, CONFIG_ERRORS.invalidQuietPages],
      ['quietPaths paths', { quietPaths: ['/transfer/confirm', '/转账/'] }, undefined],
      ['quietPaths a string', { quietPaths: '/transfer' }, CONFIG_ERRORS.invalidQuietPaths],
      ['quietPaths relative', { quietPaths: ['transfer'] }, CONFIG_ERRORS.invalidQuietPaths],
      ['quietPaths a URL', { quietPaths: ['https://bank.example/transfer'] }, CONFIG_ERRORS.invalidQuietPaths],
      ['quietPaths empty string', { quietPaths: [''] }, CONFIG_ERRORS.invalidQuietPaths],
      ['quietPaths with null', { quietPaths: ['/sign', null] }, CONFIG_ERRORS.invalidQuietPaths],
      ['frequency rules', { frequency: { caps: [], timeZone: 'Asia/Shanghai' } }, undefined],
      ['frequency a list', { frequency: [{ caps: [] }] }, CONFIG_ERRORS.invalidFrequency],
      ['frequency a string', { frequency: '3/day' }, CONFIG_ERRORS.invalidFrequency],
      ['vitalsSampleRate a share', { vitalsSampleRate: 0.25 }, undefined],
      ['vitalsSampleRate above 1', { vitalsSampleRate: 1.5 }, CONFIG_ERRORS.invalidVitalsSampleRate],
      ['vitalsSampleRate a percentage', { vitalsSampleRate: '10%' }, CONFIG_ERRORS.invalidVitalsSampleRate],
      ['bankDomains hosts', { bankDomains: ['demobank.example', 'xn--fiqs8s.example'] }, undefined],
      ['bankDomains a string', { bankDomains: 'demobank.example' }, CONFIG_ERRORS.invalidBankDomains],
      ['bankDomains a URL', { bankDomains: ['https://demobank.example/'] }, CONFIG_ERRORS.invalidBankDomains],
      ['bankDomains with a path', { bankDomains: ['demobank.example/ebank'] }, CONFIG_ERRORS.invalidBankDomains],
      ['bankDomains empty', { bankDomains: [''] }, CONFIG_ERRORS.invalidBankDomains],
      ['leaveNotice off', { leaveNotice: false }, undefined],
      ['leaveNotice a string', { leaveNotice: 'no' }, CONFIG_ERRORS.invalidLeaveNotice],
    ];
    for (const [field, input, code] of table) {
      it(`${field} → ${code ?? 'accepted'}`, () => {
        const { errors } = resolveConfig([{ ...MINIMAL, ...input }], PAGE);
        expect(errors.map((error) => error.code)).to.deep.equal(code ? [code] : []);
        // The message is terse, but a developer must see which field it is about.
        for (const { message } of errors) expect(message).to.contain(Object.keys(input)[0]);
      });
    }

    it('requires endpoint and channel', () => {
      expect(codes([{ channel: 'corporate-web' }])).to.deep.equal([CONFIG_ERRORS.missingEndpoint]);
      expect(codes([{ endpoint: '/v1/' }])).to.deep.equal([CONFIG_ERRORS.missingChannel]);
      expect(codes([])).to.deep.equal([CONFIG_ERRORS.missingEndpoint, CONFIG_ERRORS.missingChannel]);
    });

    it('states the rule each problem broke, in the words pages and dashboards have seen', () => {
      const { errors } = resolveConfig(
        [{ endpoint: '/v1/', timeoutMs: 5, slots: { 'bad id!': { size: [1, 1] } } }, { slots: 'home' }],
        PAGE,
      );
      expect(errors).to.deep.equal([
        { code: 'config-invalid-slot', message: 'slots: object by slot id' },
        { code: 'config-missing-channel', message: `channel: required, one of ${CHANNELS}` },
        { code: 'config-invalid-timeout', message: 'timeoutMs: whole number 100-30000' },
        {
          code: 'config-invalid-slot',
          message: 'slots.bad id!: id like home, size [1-10000, 1-10000], 1-10 formats like banner',
        },
      ]);
    });

    it('names the missing field in its message', () => {
      const [endpoint, channel] = resolveConfig([], PAGE).errors;
      expect(endpoint?.message).to.contain('endpoint');
      expect(channel?.message).to.contain('channel');
    });

    it('allows an http endpoint on an http page (a development server)', () => {
      const local = { locale: 'zh-CN', baseUrl: 'http://127.0.0.1:8080/examples/corporate-web/' };
      expect(configOf([{ ...MINIMAL, endpoint: '/v1/' }], local).endpoint).to.equal('http://127.0.0.1:8080/v1/');
    });
  });

  describe('publicKey, lazyLoad, collapse and quiet zones', () => {
    it('keeps one public key as an array of one, and an array as it is', () => {
      expect(configOf([{ ...MINIMAL, publicKey: EC_JWK }]).publicKey).to.deep.equal([EC_JWK]);
      const rotated = [EC_JWK, { ...EC_JWK, kid: 'k2' }];
      expect(configOf([{ ...MINIMAL, publicKey: rotated }]).publicKey).to.deep.equal(rotated);
      expect('publicKey' in configOf([{ ...MINIMAL, publicKey: EC_JWK }, { publicKey: null }])).to.equal(false);
    });

    it('fills missing lazy-load margins with 100 % and turns lazy loading off with false', () => {
      expect(configOf([{ ...MINIMAL, lazyLoad: { fetchMarginPercent: 300 } }]).lazyLoad).to.deep.equal({
        fetchMarginPercent: 300,
        renderMarginPercent: 100,
      });
      expect(configOf([{ ...MINIMAL, lazyLoad: true }]).lazyLoad).to.deep.equal({
        fetchMarginPercent: 100,
        renderMarginPercent: 100,
      });
      expect(configOf([{ ...MINIMAL, lazyLoad: false }]).lazyLoad).to.equal(false);
      expect(configOf([{ ...MINIMAL, lazyLoad: false }, { lazyLoad: null }]).lazyLoad).to.not.equal(false);
    });

    it('copies the quiet lists, so that changing the input later changes nothing', () => {
      const quietPaths = ['/sign'];
      const config = configOf([{ ...MINIMAL, quietPaths, collapse: 'keep-space' }]);
      quietPaths.push('/');
      expect(config.quietPaths).to.deep.equal(['/sign']);
      expect(config.collapse).to.equal('keep-space');
    });

    it('never lets __proto__ in a JWK or lazy-load object pollute anything', () => {
      const input = JSON.parse(
        '{"publicKey":{"kty":"EC","crv":"P-256","x":"AA","__proto__":{"d":"x"}},' +
          '"lazyLoad":{"__proto__":{"fetchMarginPercent":5000}}}',
      );
      expect(codes([MINIMAL, input])).to.deep.equal([]);
      expect(configOf([MINIMAL, input]).lazyLoad).to.deep.equal({ fetchMarginPercent: 100, renderMarginPercent: 100 });
      expect(({} as { d?: unknown }).d).to.equal(undefined);
    });
  });

  describe('isQuiet', () => {
    const config = (quiet: object) => configOf([{ ...MINIMAL, pageId: 'home', ...quiet }]);

    it('is quiet on a page listed in quietPages', () => {
      expect(isQuiet(config({ quietPages: ['home'] }), '/anything')).to.equal(true);
      expect(isQuiet(config({ quietPages: ['transfer-confirm'] }), '/anything')).to.equal(false);
    });

    it('is quiet below a path prefix, as written', () => {
      const quiet = config({ quietPaths: ['/transfer/confirm', '/sign/'] });
      expect(isQuiet(quiet, '/transfer/confirm')).to.equal(true);
      expect(isQuiet(quiet, '/transfer/confirm/step-2')).to.equal(true);
      expect(isQuiet(quiet, '/transfer/confirmed')).to.equal(true);
      expect(isQuiet(quiet, '/sign/contract')).to.equal(true);
      expect(isQuiet(quiet, '/sign')).to.equal(false);
      expect(isQuiet(quiet, '/transfer')).to.equal(false);
      expect(isQuiet(quiet, '/home')).to.equal(false);
      expect(isQuiet(quiet, '/corporate/transfer/confirm')).to.equal(false);
    });

    it('ignores case and percent-encoding, and survives a malformed escape', () => {
      const quiet = config({ quietPaths: ['/转账/', '/Sign'] });
      expect(isQuiet(quiet, new URL('https://bank.example/转账/确认').pathname)).to.equal(true);
      expect(isQuiet(quiet, '/SIGN/x')).to.equal(true);
      expect(isQuiet(config({ quietPaths: ['/%E8%BD%AC'] }), '/%e8%bd%ac')).to.equal(true);
      expect(isQuiet(quiet, '/%E0%A4%A')).to.equal(false);
    });

    it('is never quiet without quiet pages or paths', () => {
      expect(isQuiet(config({}), '/transfer/confirm')).to.equal(false);
    });
  });

  describe('operator', () => {
    const personal: [string, string][] = [
      ['an 11-digit mobile number', '13812345678'],
      ['a mobile number with a country code', '+86 138 1234 5678'],
      ['a mobile number with dashes (which the protocol pattern allows)', '138-1234-5678'],
      ['an 18-digit resident ID number', '110101199003077777'],
      ['a resident ID number ending in X', '11010119900307777X'],
      ['a 15-digit resident ID number', '110101900307777'],
      ['a 16-digit card number', '6222020012345678'],
      ['a 19-digit card number', '6222020012345678901'],
      ['a card number with dots', '6222.0200.1234.5678'],
      ['any all-digit value, such as an account number', '12345678'],
      ['an e-mail address', 'zhang.wei@demo-corp.example'],
      ['a phone behind a prefix', 'cust:13812345678'],
      ['a card number behind a prefix', 'acct.6222020012345678901'],
    ];
    for (const [what, operator] of personal) {
      it(`refuses ${what} as looking personal, without quoting it`, () => {
        const { config, errors } = resolveConfig([{ ...MINIMAL, operator }], PAGE);
        expect(config).to.equal(undefined);
        expect(errors.map((error) => error.code)).to.deep.equal([CONFIG_ERRORS.operatorLooksPersonal]);
        expect(JSON.stringify(errors)).not.to.contain(operator);
      });
    }

    const opaque = [
      'op.9f2c4e1ab37d',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      // A UUID whose last group happens to be all digits: groups that are not personal shapes pass.
      '123e4567-e89b-42d3-a456-426614174000',
      'tenant-7:3f9a0c11',
      'MTIzNDU2Nzg5MGFi',
    ];
    for (const operator of opaque) {
      it(`accepts the opaque key ${operator}`, () => {
        expect(configOf([{ ...MINIMAL, operator }]).operator).to.equal(operator);
      });
    }
  });

  it('accepts exactly what the decision request schema accepts, for every field they share', () => {
    const validateRequest = compileSchema(requestSchema);
    const request = (patch: { page?: object; slot?: object; operator?: string }) => ({
      v: 1,
      page: {
        channel: 'corporate-web',
        pageId: 'home',
        locale: 'zh-CN',
        viewport: { width: 1, height: 1 },
        ...patch.page,
      },
      slots: [{ id: 'home', sizes: [[300, 250]], formats: ['banner'], ...patch.slot }],
      ...(patch.operator === undefined ? {} : { operator: patch.operator }),
      consent: { personalized: true },
    });
    const ids = ['home', 'a', 'A.b:c-d', '9', '-a', '.a', 'a b', 'a/b', '', 'é', 'x'.repeat(64), 'x'.repeat(65)];
    const locales = [
      'zh-CN',
      'en',
      'zh-Hant-TW',
      'de-CH-1996',
      'e',
      'zh_CN',
      'zh-',
      'zh-C',
      `zh${'-abcdefgh'.repeat(4)}`,
      // 35 and 36 characters: the schema's maxLength.
      `zh${'-abcdefgh'.repeat(3)}-abcde`,
      `zh${'-abcdefgh'.repeat(3)}-abcdef`,
    ];
    const formats = ['banner', 'native-card', 'Banner', '1banner', 'a_b', '', 'b'.repeat(32), 'b'.repeat(33)];
    const operators = [
      'op.9f2c4e1ab37d',
      'abc',
      'a'.repeat(128),
      'a'.repeat(129),
      'a b c d e',
      'op/123456',
      'op@12345678',
    ];
    const pairs: [config: object, schemaRequest: object][] = [
      ...ids.map((pageId) => [{ pageId }, request({ page: { pageId } })] as [object, object]),
      ...ids.map((id) => [{ slots: { [id]: { size: [300, 250] } } }, request({ slot: { id } })] as [object, object]),
      ...locales.map((locale) => [{ locale }, request({ page: { locale } })] as [object, object]),
      ...formats.map(
        (format) =>
          [{ slots: { home: { size: [300, 250], formats: [format] } } }, request({ slot: { formats: [format] } })] as [
            object,
            object,
          ],
      ),
      ...operators.map((operator) => [{ operator }, request({ operator })] as [object, object]),
    ];
    for (const [input, schemaRequest] of pairs) {
      const configAccepts = resolveConfig([{ ...MINIMAL, ...input }], PAGE).errors.length === 0;
      expect(configAccepts, JSON.stringify(input)).to.equal(validateRequest(schemaRequest).ok);
    }
  });
});
