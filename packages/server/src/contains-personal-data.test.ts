import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { containsPersonalData, looksPersonal } from './contains-personal-data.js';
import { PERSONAL_VALUES } from './test-support/personal-values.js';

/** Values ids are made of, which must pass. */
const ORDINARY_VALUES: [value: string, what: string][] = [
  ['3b241101-e2bb-4255-8caf-4136c566a962', 'UUID'],
  ['12345678-1234-4234-8234-123456789012', 'UUID of digits only'],
  ['e2bb0000-1380-4013-8000-a13800138000', 'UUID with a mobile-like run in a hex group'],
  ['01JDX6Y4K3M2Q7R8S9T0V1W2X3', 'ULID'],
  ['cafe1234567890123456', 'hex hash with a long run of digits'],
  ['evt-16728-10-p3991skx', 'test event id'],
  ['cr-chengchuan-home-banner', 'creative id'],
  ['capped:campaign', 'no-fill reason'],
  ['loan-application-submitted', 'conversion name'],
  ['12345678901', '11 digits that are no mobile number'],
  ['123456789012', '12 digits'],
  ['2026-01-15', 'date'],
  ['10086', 'service number'],
];

describe('looksPersonal', () => {
  for (const [value, what] of PERSONAL_VALUES) {
    test(`refuses a ${what}: ${value}`, () => assert.equal(looksPersonal(value), true));
  }
  for (const [value, what] of ORDINARY_VALUES) {
    test(`passes a ${what}: ${value}`, () => assert.equal(looksPersonal(value), false));
  }

  test('finds a personal value amid any text, full-width or not, and in no text without a digit or an at sign', () => {
    const fullWidth = (text: string) =>
      text.replace(/[0-9@]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.constantFrom(...PERSONAL_VALUES.map(([value]) => value)),
        fc.string({ unit: 'grapheme' }),
        fc.boolean(),
        (before, value, after, wide) => {
          const embedded = ` ${wide ? fullWidth(value) : value} `;
          assert.equal(looksPersonal(`${before}${embedded}${after}`), true, `${before}${embedded}${after}`);
        },
      ),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const withoutDigitsOrAt = text.normalize('NFKC').replace(/[0-9@]/g, '');
        fc.pre(!/[0-9@]/.test(withoutDigitsOrAt.normalize('NFKC')));
        assert.equal(looksPersonal(withoutDigitsOrAt), false);
      }),
    );
  });

  test('passes 10,000 random UUIDs', () => {
    const refused = Array.from({ length: 10_000 }, () => crypto.randomUUID()).filter(looksPersonal);
    assert.deepEqual(refused, []);
  });
});

describe('containsPersonalData', () => {
  test('looks at every string of the event, unknown and nested fields included, and at no number', () => {
    assert.equal(containsPersonalData({ id: 'a', note: { deep: ['x', '13800138000'] } }), true);
    assert.equal(containsPersonalData({ id: 'a', ts: 13800138000, n: 6222021234567890 }), false);
    assert.equal(containsPersonalData('not an event'), false);
    assert.equal(containsPersonalData(null), false);
  });

  test('walks a deeply nested value without overflowing the stack', () => {
    let value: unknown = 'zhang.san@example.com';
    for (let depth = 0; depth < 100_000; depth += 1) value = [value];
    assert.equal(containsPersonalData(value), true);
  });
});
