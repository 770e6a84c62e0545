import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldError } from '@opslot/core';
import { HttpError } from './http-error.js';
import { validateApplication } from './validate-partner-input.js';

const NOW = Date.parse('2026-11-27T04:00:00Z');

/** The landing URL's refusal, or undefined when the URL passes (the form's other, missing fields are refused). */
function landingRefusal(landingUrl: string, allowedDomains = ['chengchuan-precision.example']): FieldError | undefined {
  try {
    validateApplication({ landingUrl }, { slots: [], allowedDomains, now: NOW });
    assert.fail('a form without its other fields passed');
  } catch (error) {
    assert.ok(error instanceof HttpError, String(error));
    return error.fields?.find((field) => field.field === 'landingUrl');
  }
}

test('a landing URL is refused with the shared rule’s code and reason, and the server’s precise zh-CN words', () => {
  const cases: [string, FieldError['code'], string, string][] = [
    [' https://www.chengchuan-precision.example/', 'invalid', 'forbidden-character', '不能包含空格（包括首尾空格）'],
    ['https://www.chengchuan-precision.example\\@evil.example/', 'invalid', 'forbidden-character', '反斜杠'],
    ['https://user:pw@www.chengchuan-precision.example/', 'invalid', 'credentials', '用户名或密码'],
    ['https://www.chengchuan-precision.example:8443/', 'invalid', 'port', '端口'],
    ['/relative', 'invalid', 'not-a-url', '完整的网址'],
    ['http://www.chengchuan-precision.example/', 'scheme-not-allowed', 'scheme', 'https://'],
    ['https://evil.example/', 'domain-not-allowed', 'domain', 'chengchuan-precision.example'],
    ['', 'required', 'missing', '请填写'],
  ];
  for (const [landingUrl, code, reason, words] of cases) {
    const refusal = landingRefusal(landingUrl);
    assert.equal(refusal?.code, code, landingUrl);
    assert.equal(refusal?.reason, reason, landingUrl);
    assert.ok(refusal?.message.includes(words), `${landingUrl}: ${refusal?.message}`);
  }
});

test('a landing host is compared with the allowed domains whatever their case', () => {
  assert.equal(landingRefusal('https://WWW.Chengchuan-Precision.example/a'), undefined);
  // An advertiser's domain registered in capitals is still its domain.
  assert.equal(
    landingRefusal('https://www.chengchuan-precision.example/a', ['Chengchuan-Precision.example']),
    undefined,
  );
});
