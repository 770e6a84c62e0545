import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AudienceIndex } from './audience-index.js';
import type { OperatorProfile, TargetingFacts, TargetingRule } from './targeting-rule.js';
import { compileExplanation, compileTargeting, evaluateTargeting } from './targeting-rule.js';

// A small supply chain: ore → steel → machining → (aero, medical); aero → airline maintenance.
const audience = new AudienceIndex(
  [
    { id: 'wl-operators', kind: 'operator', hashes: ['h:op-alpha'] },
    { id: 'wl-enterprises', kind: 'enterprise', hashes: ['h:ent-aero'] },
  ],
  [
    { from: 'ent-ore', to: 'ent-steel' },
    { from: 'ent-steel', to: 'ent-machining' },
    { from: 'ent-machining', to: 'ent-aero' },
    { from: 'ent-machining', to: 'ent-medical' },
    { from: 'ent-aero', to: 'ent-airline-mro' },
  ],
);

function factsFor(operator: string | null, profile: OperatorProfile | null): TargetingFacts {
  return {
    operatorHash: operator === null ? null : `h:${operator}`,
    enterpriseHash: profile?.enterpriseId ? `h:${profile.enterpriseId}` : null,
    profile,
    isWhitelisted: (id, o, e) => audience.isWhitelisted(id, o, e),
    reach: (partner, hops, direction) => audience.reach(partner, hops, direction),
  };
}

const aeroBuyer = factsFor('op-alpha', {
  enterpriseId: 'ent-aero',
  segments: ['corporate.medium', 'inclusive.specialised'],
  tags: { industry: 'C', region: 'CN-JS', size: 'medium', specialised: 'little-giant' },
});
const steelMaker = factsFor('op-beta', {
  enterpriseId: 'ent-steel',
  segments: ['corporate.large'],
  tags: { industry: 'C', size: 'large' },
});
const anonymous = factsFor(null, null);

/** What the rule says for these facts; the compiled rule that decisions use must say the same as the explained one. */
function matches(rule: TargetingRule, facts: TargetingFacts): boolean {
  const { matched, because } = evaluateTargeting(rule, facts);
  assert.equal(compileTargeting(rule, audience)(facts), matched, `compiled ${JSON.stringify(rule)}`);
  assert.equal(compileExplanation(rule, audience)(facts), because, `explained ${JSON.stringify(rule)}`);
  return matched;
}

describe('targeting rules', () => {
  test('segment: matches operators whose profile holds the segment, never anonymous ones', () => {
    assert.equal(matches({ segment: 'inclusive.specialised' }, aeroBuyer), true);
    assert.equal(matches({ segment: 'inclusive.specialised' }, steelMaker), false);
    assert.equal(matches({ segment: 'inclusive.specialised' }, anonymous), false);
  });

  test('whitelist of operators matches the hashed operator key; of enterprises, the hashed enterprise id', () => {
    assert.equal(matches({ whitelist: 'wl-operators' }, aeroBuyer), true);
    assert.equal(matches({ whitelist: 'wl-operators' }, steelMaker), false);
    assert.equal(matches({ whitelist: 'wl-enterprises' }, aeroBuyer), true);
    assert.equal(matches({ whitelist: 'wl-enterprises' }, steelMaker), false);
    assert.equal(matches({ whitelist: 'wl-unknown' }, aeroBuyer), false);
  });

  test('supply-chain reach follows the graph downstream, upstream or both, within the hop limit', () => {
    const downstream = (hops: number) => ({ reach: { partner: 'ent-steel', hops, direction: 'downstream' } }) as const;
    assert.equal(matches(downstream(1), aeroBuyer), false, 'aero is two hops below steel');
    assert.equal(matches(downstream(2), aeroBuyer), true);
    assert.equal(matches({ reach: { partner: 'ent-aero', hops: 2, direction: 'upstream' } }, steelMaker), true);
    assert.equal(matches({ reach: { partner: 'ent-aero', hops: 2, direction: 'downstream' } }, steelMaker), false);
    assert.equal(matches({ reach: { partner: 'ent-medical', hops: 2, direction: 'both' } }, aeroBuyer), true);
    assert.equal(
      matches({ reach: { partner: 'ent-aero', hops: 3, direction: 'both' } }, aeroBuyer),
      false,
      'never itself',
    );
    assert.deepEqual([...audience.reach('ent-machining', 2, 'downstream')].sort(), [
      'ent-aero',
      'ent-airline-mro',
      'ent-medical',
    ]);
  });

  test('profile tags match any of the listed values', () => {
    assert.equal(matches({ tag: 'specialised', in: ['national', 'little-giant'] }, aeroBuyer), true);
    assert.equal(matches({ tag: 'specialised', in: ['national', 'little-giant'] }, steelMaker), false);
    assert.equal(matches({ tag: 'region', in: ['CN-JS'] }, steelMaker), false, 'an absent tag never matches');
  });

  test('all / any / not combine, and the verdict says which leaves decided', () => {
    const rule: TargetingRule = {
      all: [{ tag: 'industry', in: ['C'] }, { not: { segment: 'corporate.large' } }],
    };
    assert.deepEqual(evaluateTargeting(rule, aeroBuyer), {
      matched: true,
      because: 'industry C & not(no segment corporate.large)',
    });
    assert.deepEqual(evaluateTargeting(rule, steelMaker), { matched: false, because: 'not(segment corporate.large)' });
    const either: TargetingRule = { any: [{ whitelist: 'wl-operators' }, { segment: 'corporate.large' }] };
    assert.equal(matches(either, aeroBuyer), true);
    assert.equal(matches(either, steelMaker), true);
    assert.equal(matches(either, anonymous), false);
    assert.equal(matches({ not: { segment: 'corporate.large' } }, anonymous), true);
  });

  test('a compiled reach rule keeps its enterprise set for the audience it was compiled against', () => {
    const small = new AudienceIndex([], [{ from: 'ent-ore', to: 'ent-steel' }]);
    const rule: TargetingRule = { reach: { partner: 'ent-ore', hops: 1, direction: 'downstream' } };
    const compiled = compileTargeting(rule, small);
    assert.equal(compiled(anonymous), false, 'an operator without an enterprise is reached by nothing');
    assert.equal(compiled(steelMaker), true);
    const grown = new AudienceIndex([], [{ from: 'ent-ore', to: 'ent-aero' }]);
    assert.equal(compiled(aeroBuyer), false, 'still the audience it was compiled against');
    assert.equal(compileTargeting(rule, grown)(aeroBuyer), true, 'compiled again, it sees the new edge');
  });
});
