// Builds the benchmark's data: the shipped seed plus 200 campaigns with every kind of targeting, distribution
// strategy and frequency rule, an audience with 10,000 whitelisted operator keys and a 50,000-edge relation graph,
// and the decision requests the load generator cycles through. Deterministic, so that runs compare.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './toolchain.mjs';

const SEED_DIR = join(ROOT, 'packages/server/seed');
export const CAMPAIGNS = 200;
export const WHITELIST_ENTRIES = 10_000;
export const GRAPH_EDGES = 50_000;
const ENTERPRISES = 20_000;
const PROFILES = 5_000;

const SLOTS = [
  { id: 'home-banner', size: [960, 240], file: 'chengchuan-home-banner.svg' },
  { id: 'home-side', size: [300, 250], file: 'beiyu-home-side.svg' },
  { id: 'home-strip', size: [960, 90], file: 'qiwu-home-strip.svg' },
];
const SEGMENTS = [
  'corporate.small',
  'corporate.medium',
  'inclusive.tech-sme',
  'supply-chain.upstream-supplier',
  'cross-border.exporter',
  'lending.working-capital',
];

const pad = (n, width = 6) => String(n).padStart(width, '0');
export const operatorKey = (n) => `op-bench-${pad(n)}`;
const enterprise = (n) => `ent-bench-${pad(n)}`;

/** A small deterministic generator (mulberry32). */
function generator(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

function targetingFor(i, random) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  switch (i % 6) {
    case 0:
      return undefined;
    case 1:
      return { segment: pick(SEGMENTS) };
    case 2:
      return { whitelist: 'wl-bench-operators' };
    case 3:
      return {
        reach: {
          partner: enterprise(Math.floor(random() * ENTERPRISES)),
          hops: 2,
          direction: pick(['upstream', 'downstream', 'both']),
        },
      };
    case 4:
      return { all: [{ tag: 'industry', in: ['C', 'F'] }, { not: { segment: pick(SEGMENTS) } }] };
    default:
      return { any: [{ tag: 'specialised', in: ['national', 'little-giant'] }, { whitelist: 'wl-bench-enterprises' }] };
  }
}

/** Writes `seed/seed.json`, its images and `audience.json` into `dir`; returns their paths. */
export function writeBenchData(dir) {
  const random = generator(8);
  const seedDir = join(dir, 'seed');
  mkdirSync(seedDir, { recursive: true });
  cpSync(join(SEED_DIR, 'creatives'), join(seedDir, 'creatives'), { recursive: true });
  const seed = JSON.parse(readFileSync(join(SEED_DIR, 'seed.json'), 'utf8'));
  delete seed.$schema;
  for (let i = 0; i < CAMPAIGNS; i++) {
    const id = `camp-bench-${pad(i, 3)}`;
    const slot = SLOTS[i % SLOTS.length];
    const creatives = [0, 1].map((k) => ({
      id: `cr-bench-${pad(i, 3)}-${k}`,
      campaignId: id,
      slotId: slot.id,
      format: 'banner',
      image: { file: slot.file, width: slot.size[0], height: slot.size[1], alt: `benchmark creative ${i}/${k}` },
      landingUrl: `https://www.qiwu-soft.example/bench/${i}/${k}`,
    }));
    const strategy =
      i % 5 === 1
        ? {
            type: 'experiment',
            id: `exp-bench-${i}`,
            buckets: creatives.map((c, k) => ({ id: `b${k}`, weight: 1, creativeIds: [c.id] })),
          }
        : i % 5 === 2
          ? { type: 'ranker', ranker: 'ctr-bayes' }
          : { type: 'priority' };
    const targeting = targetingFor(i, random);
    seed.campaigns.push({
      id,
      advertiserId: 'adv-qiwu',
      name: `benchmark campaign ${i}`,
      status: 'active',
      priority: Math.floor(random() * 50),
      weight: Math.floor(random() * 100),
      start: '2025-01-01T00:00:00+08:00',
      end: null,
      ...(i % 4 === 0 ? { budget: { exposures: 1_000_000 } } : {}),
      ...(targeting ? { targeting } : {}),
      strategy,
      frequency: {
        caps: [{ scope: 'campaign', max: 5, window: 'day' }],
        minInterval: [{ scope: 'campaign', seconds: 60 }],
      },
    });
    seed.creatives.push(...creatives);
  }
  const seedPath = join(seedDir, 'seed.json');
  writeFileSync(seedPath, JSON.stringify(seed));

  const edges = new Set();
  while (edges.size < GRAPH_EDGES) {
    const from = Math.floor(random() * ENTERPRISES);
    const to = Math.floor(random() * ENTERPRISES);
    if (from !== to) edges.add(`${from}:${to}`);
  }
  const audience = {
    profiles: Array.from({ length: PROFILES }, (_, n) => ({
      operator: operatorKey(n),
      enterpriseId: enterprise(n * 3),
      segments: [SEGMENTS[n % SEGMENTS.length]],
      tags: { industry: n % 2 ? 'C' : 'F', size: 'small', specialised: n % 7 ? 'none' : 'national' },
    })),
    whitelists: [
      {
        id: 'wl-bench-operators',
        kind: 'operator',
        name: 'bench',
        entries: Array.from({ length: WHITELIST_ENTRIES }, (_, n) => operatorKey(n * 2)),
      },
      {
        id: 'wl-bench-enterprises',
        kind: 'enterprise',
        name: 'bench',
        entries: Array.from({ length: 1000 }, (_, n) => enterprise(n * 5)),
      },
    ],
    edges: [...edges].map((pair) => {
      const [from, to] = pair.split(':');
      return { from: enterprise(Number(from)), to: enterprise(Number(to)) };
    }),
  };
  const audiencePath = join(dir, 'audience.json');
  writeFileSync(audiencePath, JSON.stringify(audience));
  return { seedPath, audiencePath };
}

/** Decision request bodies: the corporate-web home page's three slots, for profiled, unknown and anonymous operators. */
export function decisionBodies(count = 1000) {
  return Array.from({ length: count }, (_, n) =>
    JSON.stringify({
      v: 1,
      page: { channel: 'corporate-web', pageId: 'home', locale: 'zh-CN', viewport: { width: 1280, height: 800 } },
      slots: SLOTS.map((s) => ({ id: s.id, sizes: [s.size], formats: ['banner'] })),
      ...(n % 10 === 9 ? {} : { operator: operatorKey(n % 8 === 0 ? PROFILES + n : n * 5) }),
      consent: { personalized: true },
    }),
  );
}
