import { expect } from '@open-wc/testing';
import { createEventId } from './event-id.js';
import { createOutbox } from './outbox.js';
import { containsPersonalData, PERSONAL_DATA_PATTERNS, withoutPersonalData } from './pii-guard.js';
import { type BeaconEvent, CHANNELS, EVENT_TYPES, type EventBatch, type EventType } from './protocol.js';
import { ENDPOINT } from './test-support/outbox-fakes.js';
import { seededRandom } from './test-support/seeded-random.js';

/** Values a page might pass by mistake, each with what it is. */
const HOSTILE: [kind: string, value: string][] = [
  ['mobile', '13800138000'],
  ['mobile, +86 and spaces', '+86 138 0013 8000'],
  ['mobile, dashes', '+86-139-1234-5678'],
  ['mobile inside an id', 'loan-user13800138000-submitted'],
  ['mobile after a scheme', 'tel:15912345678'],
  ['mobile, full-width digits', '手机１３８００１３８０００'],
  ['mobile, ideographic spaces', '138\u30000013\u30008000'],
  ['landline', '010-12345678'],
  ['landline, grouped', 'call 0755 8765 4321'],
  ['resident id', '110101199003071234'],
  ['resident id, X', '11010119900307123X'],
  ['resident id, x', 'id-11010119900307123x'],
  ['resident id, 15 digits', '110101900307123'],
  ['resident id, grouped', '110101 19900307 123X'],
  ['card, 19 digits', '6222020200001234567'],
  ['card, not Luhn-valid', 'card:6222020200001234568'],
  ['card, 13 digits', '4222222222222'],
  ['card, spaces', '4111 1111 1111 1111'],
  ['card, dashes', 'pay-4111-1111-1111-1111'],
  ['card, en dashes', '4111–1111–1111–1111'],
  ['card, Amex grouping', '3782 822463 10005'],
  ['card, 4-4-4-4-3', '6222 0202 0000 1234 567'],
  ['card inside letters', 'x6222020200001234567y'],
  ['e-mail', 'zhang.san@example.com'],
  ['e-mail, short', 'a@b.cn'],
  ['e-mail, plus and subdomain', 'contact:li-si+loans@mail.bank.example.com.cn'],
  ['e-mail, percent-encoded', 'user%40example.com'],
  ['e-mail, full-width', 'ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ'],
];

/** Values of the kind events carry, none of them personal. */
const BENIGN = [
  'home',
  'home-banner',
  'loan-application-submitted',
  'capped:cmp-1',
  'no-fill',
  'exp-cta-colour',
  'bucket-b',
  '970x250',
  'dec-2024-06-11',
  '2024-06-11T09:30:00',
  'cr-20240611-0042',
  'order-123456789012',
  '3b241101-e2bb-4255-8caf-413656689620',
  '12345678-1234-4234-8234-123456789012',
];

/** The string fields of an event that are not its identity: every one of them is checked. */
const OPTIONAL_STRING_FIELDS = [
  'pageId',
  'decisionId',
  'slotId',
  'creativeId',
  'campaignId',
  'advertiserId',
  'experimentId',
  'bucket',
  'code',
  'name',
] as const;

const TYPES = Object.values(EVENT_TYPES);

function realistic(random: () => number): BeaconEvent {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const type: EventType = pick(TYPES);
  const creative = Math.floor(random() * 5000);
  return {
    id: createEventId(),
    type,
    ts: 1_717_000_000_000 + Math.floor(random() * 86_400_000 * 30),
    channel: pick(CHANNELS),
    pageId: pick(['home', 'account-overview', 'transfer-result', 'loan-center', 'default']),
    decisionId: createEventId(),
    slotId: pick(['home-banner', 'sidebar-2', 'popup-welcome', 'loan-strip']),
    creativeId: `cr-${creative}`,
    campaignId: `cmp-2024q${1 + Math.floor(random() * 4)}-${String(creative % 97).padStart(2, '0')}`,
    advertiserId: `adv-${String(creative % 400).padStart(4, '0')}`,
    ...(random() < 0.3 && { experimentId: 'exp-cta-colour', bucket: pick(['a', 'b', 'control']) }),
    ...(type === 'viewable' && { method: pick(['io2', 'io1'] as const) }),
    ...(type === 'no-fill' && { code: pick(['no-fill', 'disabled', 'quiet-zone', `capped:cr-${creative}`]) }),
    ...(type === 'error' && { code: pick(['decision-timeout', 'invalid-response', 'asset-failed']) }),
    ...(type === 'conversion' && { name: pick(['loan-application-submitted', 'card-applied', 'fund-bought']) }),
    ...(random() < 0.05 && { preview: true }),
  };
}

describe('withoutPersonalData', () => {
  for (const [kind, value] of HOSTILE) {
    it(`drops a field holding a ${kind}: ${value}`, () => {
      for (const field of OPTIONAL_STRING_FIELDS) {
        const base = realistic(seededRandom(1));
        const { event, dropped } = withoutPersonalData({ ...base, [field]: value });
        expect(dropped, field).to.deep.equal([field]);
        expect(event, field).not.to.have.property(field);
        expect(JSON.stringify(event)).not.to.include(value);
      }
    });
  }

  it('keeps ordinary ids, codes, names and UUIDs, and returns the same event', () => {
    for (const value of BENIGN) {
      const input = { ...realistic(seededRandom(2)), name: value };
      const result = withoutPersonalData(input);
      expect(result.dropped, value).to.deep.equal([]);
      expect(result.event).to.equal(input);
    }
  });

  it('checks fields the protocol does not know, and values that are not strings', () => {
    const input = { ...realistic(seededRandom(3)), phone: 13_800_138_000, note: { mail: 'a@b.cn' }, ok: 'fine' };
    const { event, dropped } = withoutPersonalData(input as BeaconEvent);
    expect(dropped).to.deep.equal(['phone', 'note']);
    expect(event).to.have.property('ok', 'fine');
  });

  it('never drops id, type, ts or channel, which cannot look personal anyway', () => {
    const random = seededRandom(4);
    let shapedLikeNumbers = 0;
    for (let i = 0; i < 10_000; i++) {
      const id = createEventId(fillRandom(random));
      expect(containsPersonalData(id), id).to.equal(false);
      if (PERSONAL_DATA_PATTERNS.some((pattern) => pattern.test(id))) shapedLikeNumbers += 1;
    }
    // About 1 in 40 UUIDs holds digits shaped like a phone or card number: the UUID rule is what keeps ids clear.
    expect(shapedLikeNumbers).to.be.greaterThan(100);
    for (const value of [...TYPES, ...CHANNELS]) expect(containsPersonalData(value)).to.equal(false);
    // Even a hostile value in them stays: the guard does not look at them.
    const hostile = { id: '13800138000', type: 'render', ts: 6_222_020_200_001_234, channel: 'a@b.cn' };
    const { event, dropped } = withoutPersonalData({ ...hostile, pageId: 'home' } as unknown as BeaconEvent);
    expect(dropped).to.deep.equal([]);
    expect(event).to.include(hostile);
  });
});

/** Fills bytes from a seeded source, so that the 10,000 UUIDs above are the same on every run. */
function fillRandom(random: () => number) {
  return (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  };
}

describe('beacon corpus scan', () => {
  it('finds no personal data in any body the outbox sends', async () => {
    const random = seededRandom(20240611);
    const corpus = Array.from({ length: 3000 }, () => realistic(random));
    // And events with a hostile value in each optional string field.
    for (const [, value] of HOSTILE) {
      for (const field of OPTIONAL_STRING_FIELDS) corpus.push({ ...realistic(random), [field]: value });
    }
    const bodies: string[] = [];
    const outbox = createOutbox({
      endpoint: ENDPOINT,
      maxBatchEvents: 500,
      maxQueuedEvents: 10_000,
      fetch: async (_url, init) => {
        bodies.push(String(init?.body));
        const { events } = JSON.parse(String(init?.body)) as EventBatch;
        return Response.json({ v: 1, accepted: events.map((e) => e.id), duplicates: [], rejected: [] });
      },
    });
    for (const e of corpus) outbox.add(e);
    while (outbox.size > 0) await outbox.flush();
    outbox.dispose();

    const sent = bodies.flatMap((body) => (JSON.parse(body) as EventBatch).events);
    expect(sent).to.have.length(corpus.length);
    for (const body of bodies) {
      // `ts` is a number of 13 digits by design, not a value anyone typed; everything else is scanned as sent.
      const scanned = body.replace(/"ts":\d+/g, '"ts":0');
      expect(containsPersonalData(scanned)).to.equal(false);
    }
    // The same patterns, without the guard's UUID rule, find nothing in the fields that are not UUIDs either.
    for (const e of sent) {
      const { id: _id, decisionId: _decisionId, ts: _ts, ...rest } = e;
      const text = JSON.stringify(rest).normalize('NFKC');
      for (const pattern of PERSONAL_DATA_PATTERNS) expect(pattern.test(text), text).to.equal(false);
    }
  });
});
