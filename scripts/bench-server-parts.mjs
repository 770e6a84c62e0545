// `node scripts/bench-server-parts.mjs` (after `pnpm build`): the CPU time of each part of a decision in one process,
// without HTTP, over the data of `pnpm bench:server` — parse and check the request, decide (for operators seen before
// and for operators the engine has not seen since a profile write), keep the audit record, encode the answer, sign it.
// Each figure is the best of 8 passes over the 1,000 request bodies, in µs of CPU a decision. Reports, never asserts:
// docs/benchmarks.md keeps the figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decisionBodies, writeBenchData } from './lib/bench-catalogue.mjs';
import { ROOT } from './lib/toolchain.mjs';

const server = (module) => import(join(ROOT, 'packages/server/dist', module));
const { applyAudienceSeed } = await server('audience-seed.js');
const { createKeyHasher } = await server('create-key-hasher.js');
const { createCtrBayesRanker } = await server('creative-ranker.js');
const { createDecisionEngine, decisionAudit } = await server('decide.js');
const { encodeDecisionResponse } = await server('encode-decision-response.js');
const { loadSeed } = await server('load-seed.js');
const { loadSigningKey } = await server('load-signing-key.js');
const { createProtocolValidators } = await server('protocol-validators.js');
const { openSqliteStore } = await server('sqlite-store.js');
const { timeOrderedUuid } = await server('time-ordered-uuid.js');

const PASSES = 8;
const dir = mkdtempSync(join(tmpdir(), 'opslot-parts-'));
try {
  const { seedPath, audiencePath } = writeBenchData(dir);
  const store = openSqliteStore(join(dir, 'opslot.sqlite'));
  const hashKey = createKeyHasher(store);
  store.replaceCatalogue(loadSeed(seedPath).catalogue);
  applyAudienceSeed(store, audiencePath, hashKey);
  const engine = createDecisionEngine({ store, hashKey, rankers: new Map([['ctr-bayes', createCtrBayesRanker()]]) });
  const validators = createProtocolValidators();
  const signingKey = loadSigningKey(join(dir, 'signing-key.json'));
  const bodies = decisionBodies();
  const requests = bodies.map((body) => JSON.parse(body));
  const now = Date.now();
  const outcomes = requests.map((request) => engine.decide(request, now));
  const answers = outcomes.map((outcome) => encode(outcome));

  /** Best of the passes, in µs of CPU per request. */
  const best = (part) => {
    let fastest = Number.POSITIVE_INFINITY;
    for (let pass = 0; pass < PASSES; pass++) {
      const start = process.cpuUsage();
      for (let i = 0; i < requests.length; i++) part(i);
      const { user, system } = process.cpuUsage(start);
      fastest = Math.min(fastest, (user + system) / requests.length);
    }
    return Math.round(fastest);
  };
  const parts = {
    'parse the body and check it against the request schema': best((i) =>
      validators.decisionRequest(JSON.parse(bodies[i])),
    ),
    'decide, operators seen before': best((i) => engine.decide(requests[i], now)),
    // A profile write makes the engine forget what it knew of every operator: each decision starts from nothing.
    'decide, operators not seen since a profile write': best((i) => {
      store.putOperatorProfiles([]);
      engine.decide(requests[i], now);
    }),
    'audit record (build, JSON, SQLite insert in batches)': best((i) =>
      store.recordDecision(decisionAudit(timeOrderedUuid(now), now, requests[i], outcomes[i])),
    ),
    "the answer's bytes": best((i) => encode(outcomes[i])),
    'ES256 signature over those bytes': best((i) => signingKey.signatureHeader(answers[i])),
  };
  const bytes = answers.reduce((sum, answer) => sum + answer.byteLength, 0) / answers.length;
  console.log(
    `µs of CPU a decision, best of ${PASSES} passes over ${requests.length} requests (${Math.round(bytes)} B answers)`,
  );
  console.table(parts);
  store.close();

  function encode(outcome) {
    return encodeDecisionResponse(
      { v: 1, decisionId: timeOrderedUuid(now), ttl: 300 },
      outcome.slots.map((slot) => slot.encoded),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
