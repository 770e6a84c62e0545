import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCtrBayesRanker } from './creative-ranker.js';

const ranker = createCtrBayesRanker();

test('a new creative outranks a proven one with a better-than-prior CTR, so it gets explored', () => {
  const proven = ranker.score('cr-proven', { exposures: 10_000, clicks: 150 }).score;
  const fresh = ranker.score('cr-new', { exposures: 0, clicks: 0 }).score;
  assert.ok(fresh > proven, `${fresh} > ${proven}`);
});

test('once explored without clicks, the new creative falls behind; with clicks, it stays ahead', () => {
  const proven = ranker.score('cr-proven', { exposures: 10_000, clicks: 150 }).score;
  assert.ok(ranker.score('cr-dud', { exposures: 2_000, clicks: 0 }).score < proven);
  assert.ok(ranker.score('cr-hit', { exposures: 2_000, clicks: 80 }).score > proven);
});

test('a simulated run shows the new creative about as often as it takes to learn, then the better one wins', () => {
  // Two creatives with true CTRs of 1 % and 3 %; each round shows the top-ranked one 100 times.
  const truth = new Map([
    ['cr-a', 0.01],
    ['cr-b', 0.03],
  ]);
  const history = new Map([
    ['cr-a', { exposures: 5_000, clicks: 50 }],
    ['cr-b', { exposures: 0, clicks: 0 }],
  ]);
  let shownB = 0;
  for (let round = 0; round < 200; round++) {
    const [best] = [...history.entries()].sort(
      ([a, ha], [b, hb]) => ranker.score(b, hb).score - ranker.score(a, ha).score,
    );
    const [id, h] = best as [string, { exposures: number; clicks: number }];
    if (id === 'cr-b') shownB += 1;
    h.exposures += 100;
    h.clicks += Math.round(100 * (truth.get(id) ?? 0));
  }
  assert.ok(shownB > 150, `the better new creative took ${shownB} of 200 rounds`);
});

test('explains its score for the decision reason', () => {
  assert.match(ranker.score('cr', { exposures: 120, clicks: 3 }).explanation, /^ucb 0\.\d{4} \(3\/120\)$/);
});
