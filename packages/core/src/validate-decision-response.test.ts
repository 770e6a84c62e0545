import { expect } from '@open-wc/testing';
import type { DecisionResponse } from './protocol.js';
import { toSafeUrl } from './safe-url.js';
import { seededRandom } from './test-support/seeded-random.js';
import { validateDecisionResponse } from './validate-decision-response.js';

const ENDPOINT = 'https://ebank.demo-bank.example/v1/decisions';

function seed(): DecisionResponse {
  const creative = (id: string, landingUrl: string) => ({
    id,
    campaignId: 'cmp-2024-spring',
    format: 'banner',
    advertiser: { id: 'adv-hengtai', name: '恒泰精密机械（示例）' },
    assets: { image: { src: `/v1/assets/${id}.png`, width: 960, height: 240, alt: '恒泰精密机械 · 小批量定制' } },
    landingUrl,
    strategy: 'supply-chain',
    reason: '您的企业是恒泰精密机械的下游客户',
  });
  return {
    v: 1,
    decisionId: 'd-7f3a9c21',
    ttl: 300,
    slots: [
      {
        id: 'home-banner',
        candidates: [creative('cr-1', 'https://partner.example/landing?utm=opslot'), creative('cr-2', '/go/cr-2')],
      },
      { id: 'side-tile', candidates: [] },
    ],
  };
}

type Mutation = { text: string; invalid: boolean; what: string };

/** Every container path of the seed with the required keys of that object, from the schema. */
const REQUIRED: [path: (string | number)[], keys: string[]][] = [
  [[], ['v', 'decisionId', 'ttl', 'slots']],
  [
    ['slots', 0],
    ['id', 'candidates'],
  ],
  [
    ['slots', 0, 'candidates', 0],
    ['id', 'campaignId', 'format', 'advertiser', 'assets', 'landingUrl', 'strategy', 'reason'],
  ],
  [
    ['slots', 0, 'candidates', 1, 'advertiser'],
    ['id', 'name'],
  ],
  [
    ['slots', 0, 'candidates', 0, 'assets', 'image'],
    ['src', 'width', 'height', 'alt'],
  ],
];
/** Leaves with a type the schema fixes, and values of another type. */
const TYPED_LEAVES: [path: (string | number)[], wrong: unknown[]][] = [
  [['decisionId'], [1, null, true, [], {}, '']],
  [['ttl'], ['300', 1.5, -1, 86401, null, []]],
  [['slots'], [{}, 'slots', null, 1]],
  [
    ['slots', 0, 'candidates'],
    [{}, 'x', null],
  ],
  [
    ['slots', 0, 'candidates', 0, 'format'],
    ['Banner', '', 1, 'x'.repeat(40), null],
  ],
  [
    ['slots', 0, 'candidates', 0, 'landingUrl'],
    ['', 1, null, 'https://x.example/'.repeat(200)],
  ],
  [
    ['slots', 0, 'candidates', 1, 'assets', 'image', 'width'],
    [0, 10001, 1.5, '960', null],
  ],
  [
    ['slots', 0, 'candidates', 1, 'advertiser', 'name'],
    ['', 'x'.repeat(101), 7],
  ],
  [
    ['slots', 0, 'candidates', 0, 'reason'],
    ['x'.repeat(201), {}],
  ],
  [
    ['slots', 1, 'id'],
    ['-leading-dash', 'a'.repeat(65), 'has space', '', 0],
  ],
];
const HOSTILE_STRINGS = [
  'javascript:alert(document.cookie)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '<img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
  '\u202egnp.exe',
  '\u0000',
  'x'.repeat(1 << 20),
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

function setAt(target: unknown, path: (string | number)[], value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
}

function getAt(target: unknown, path: (string | number)[]): Record<string, unknown> {
  let node = target as Record<string | number, unknown>;
  for (const key of path) node = node[key] as Record<string | number, unknown>;
  return node as Record<string, unknown>;
}

/** One hostile payload as JSON text, parsed by the test the way the client parses an answer. */
function mutate(random: () => number): Mutation {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const value = seed() as unknown;
  switch (Math.floor(random() * 9)) {
    case 0: {
      const [path, keys] = pick(REQUIRED);
      const key = pick(keys);
      delete getAt(value, path)[key];
      return { text: JSON.stringify(value), invalid: true, what: `missing ${[...path, key].join('/')}` };
    }
    case 1: {
      const [path, wrong] = pick(TYPED_LEAVES);
      setAt(value, path, pick(wrong));
      return { text: JSON.stringify(value), invalid: true, what: `wrong ${path.join('/')}` };
    }
    case 2: {
      // Prototype keys can only be written into JSON text; JSON.parse then makes them own data properties.
      const key = pick(PROTO_KEYS);
      const [path] = pick(REQUIRED);
      const json = JSON.stringify(getAt(value, path));
      const polluted = `{"${key}":{"polluted":true,"v":1,"slots":[]},${json.slice(1)}`;
      const text = path.length === 0 ? polluted : JSON.stringify(value).replace(json, polluted);
      return { text, invalid: false, what: `${key} at ${path.join('/')}` };
    }
    case 3: {
      setAt(
        value,
        pick([
          ['slots', 0, 'candidates', 0, 'landingUrl'],
          ['slots', 0, 'candidates', 1, 'assets', 'image', 'src'],
        ]),
        pick(HOSTILE_STRINGS),
      );
      return { text: JSON.stringify(value), invalid: false, what: 'hostile url' };
    }
    case 4: {
      setAt(value, ['slots', 0, 'candidates', 0, 'format'], pick(['video', 'interstitial', 'native-card', 'html']));
      // An unknown but well-formed format is valid for the schema: the batcher collapses the slot.
      return { text: JSON.stringify(value), invalid: false, what: 'unknown format' };
    }
    case 5: {
      const depth = 1 + Math.floor(random() * 20_000);
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const [path] = pick(TYPED_LEAVES);
      setAt(value, path, '@@DEEP@@');
      return {
        text: JSON.stringify(value).replace('"@@DEEP@@"', deep),
        invalid: true,
        what: `deep at ${path.join('/')}`,
      };
    }
    case 6: {
      const slots = Array.from({ length: 51 + Math.floor(random() * 50) }, (_, index) => ({
        id: `s${index}`,
        candidates: [],
      }));
      setAt(value, ['slots'], slots);
      return { text: JSON.stringify(value), invalid: true, what: 'too many slots' };
    }
    case 7: {
      setAt(value, ['v'], pick([0, 2, '1', 1.0001, null, true]));
      return { text: JSON.stringify(value), invalid: true, what: 'wrong v' };
    }
    default: {
      const roots = ['null', '0', '"string"', '[]', '[{}]', 'true', '{}', '{"v":1}'];
      return { text: pick(roots), invalid: true, what: 'not a response' };
    }
  }
}

function urlsOf(response: DecisionResponse): string[] {
  return response.slots.flatMap((slot) =>
    slot.candidates.flatMap((creative) => [
      creative.landingUrl,
      ...(creative.assets.image ? [creative.assets.image.src] : []),
    ]),
  );
}

describe('validateDecisionResponse', () => {
  it('accepts seed-like responses', () => {
    const emptyPage = { v: 1, decisionId: 'd-1', ttl: 0, slots: [] };
    const noImage = seed();
    for (const creative of noImage.slots[0]?.candidates ?? []) delete creative.assets.image;
    const newerServer = {
      ...seed(),
      experiment: { arm: 'b' },
      slots: [{ id: 'home-banner', candidates: [], debug: true }],
    };
    for (const response of [seed(), emptyPage, noImage, newerServer]) {
      expect(validateDecisionResponse(response), JSON.stringify(response)).to.deep.equal({ ok: true });
    }
  });

  it('names the path of the first failure', () => {
    const response = seed() as unknown as { slots: { candidates: { landingUrl: string }[] }[] };
    (response.slots[0]?.candidates[1] as { landingUrl: string }).landingUrl = '';
    expect(validateDecisionResponse(response)).to.deep.equal({
      ok: false,
      path: '/slots/0/candidates/1/landingUrl',
      message: 'violates minLength 1',
    });
  });

  it('survives 2,000 hostile payloads without throwing or touching Object.prototype', () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const random = seededRandom(20240601);
    const counts = { refused: 0, accepted: 0 };
    for (let index = 0; index < 2000; index++) {
      const mutation = mutate(random);
      let data: unknown;
      try {
        data = JSON.parse(mutation.text);
      } catch {
        continue; // V8 refuses some of the deepest nestings itself; the client reports those as invalid-json.
      }
      let result: ReturnType<typeof validateDecisionResponse> | undefined;
      expect(() => {
        result = validateDecisionResponse(data);
      }, `payload ${index}: ${mutation.what}`).not.to.throw();
      if (mutation.invalid) expect(result?.ok, `payload ${index}: ${mutation.what}`).to.equal(false);
      if (result?.ok) {
        counts.accepted++;
        // What passes the schema may still carry hostile URLs: toSafeUrl is the gate, and it must hold.
        for (const url of urlsOf(data as DecisionResponse)) {
          const safe = toSafeUrl(url, ENDPOINT);
          if (safe) expect(safe.protocol, url.slice(0, 80)).to.equal('https:');
        }
      } else counts.refused++;
    }
    expect(counts.refused).to.be.greaterThan(1000);
    expect(counts.accepted).to.be.greaterThan(100);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(prototypeKeys);
    expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
  });
});
