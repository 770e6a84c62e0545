import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FrequencyRules } from '@opslot/core';
import type { OperatorEvent, ScopeFacts } from './server-caps.js';
import { serverCapBreach } from './server-caps.js';

// 2026-01-15 10:00 in Asia/Shanghai (02:00 UTC), a Thursday.
const NOW = Date.parse('2026-01-15T10:00:00+08:00');
const HOUR = 3600_000;

const banner: ScopeFacts = {
  creativeId: 'cr-banner',
  campaignId: 'camp-a',
  slotId: 'home-banner',
  advertiserId: 'adv-a',
  format: 'banner',
};
const sibling: ScopeFacts = { ...banner, creativeId: 'cr-mobile', slotId: 'corp-mobile-home-banner' };
const otherAdvertiser: ScopeFacts = { ...banner, creativeId: 'cr-other', campaignId: 'camp-b', advertiserId: 'adv-b' };
const facts = new Map([banner, sibling, otherAdvertiser].map((f) => [f.creativeId, f]));
const factsOf = (id: string) => facts.get(id);

function seen(creative: ScopeFacts, at: number, type: OperatorEvent['type'] = 'viewable'): OperatorEvent {
  return { type, at, creativeId: creative.creativeId, campaignId: creative.campaignId, slotId: creative.slotId };
}

describe('server-side frequency caps', () => {
  test('a campaign cap counts exposures of every creative of the campaign, whatever the channel', () => {
    const history = [seen(banner, NOW - 2 * HOUR), seen(sibling, NOW - HOUR)];
    const rules: FrequencyRules = { caps: [{ scope: 'campaign', max: 2, window: 'day' }] };
    assert.equal(serverCapBreach(rules, banner, history, NOW, factsOf), 'server cap campaign 2/day');
    assert.equal(serverCapBreach(rules, banner, history.slice(1), NOW, factsOf), null);
  });

  test('day and week are calendar periods in Asia/Shanghai; rolling counts back from now', () => {
    // 23:30 the day before, Shanghai time: yesterday for `day`, this week for `week` (Monday 12th onwards).
    const yesterday = [seen(banner, Date.parse('2026-01-14T23:30:00+08:00'))];
    assert.equal(
      serverCapBreach({ caps: [{ scope: 'creative', max: 1, window: 'day' }] }, banner, yesterday, NOW, factsOf),
      null,
    );
    assert.notEqual(
      serverCapBreach({ caps: [{ scope: 'creative', max: 1, window: 'week' }] }, banner, yesterday, NOW, factsOf),
      null,
    );
    const lastSunday = [seen(banner, Date.parse('2026-01-11T23:59:00+08:00'))];
    assert.equal(
      serverCapBreach({ caps: [{ scope: 'creative', max: 1, window: 'week' }] }, banner, lastSunday, NOW, factsOf),
      null,
    );
    const rolling: FrequencyRules = { caps: [{ scope: 'creative', max: 1, window: 'rolling', seconds: 3600 }] };
    assert.notEqual(serverCapBreach(rolling, banner, [seen(banner, NOW - HOUR + 1000)], NOW, factsOf), null);
    assert.equal(serverCapBreach(rolling, banner, [seen(banner, NOW - HOUR - 1000)], NOW, factsOf), null);
  });

  test('page and session windows are left to the browser', () => {
    const history = [seen(banner, NOW - 1000), seen(banner, NOW - 500)];
    const rules: FrequencyRules = {
      caps: [
        { scope: 'creative', max: 1, window: 'session' },
        { scope: 'creative', max: 1, window: 'page' },
      ],
    };
    assert.equal(serverCapBreach(rules, banner, history, NOW, factsOf), null);
  });

  test('advertiser and format scopes look the counted creative up; renders count only with countOn rendered', () => {
    const history = [seen(otherAdvertiser, NOW - HOUR), seen(sibling, NOW - HOUR, 'render')];
    assert.equal(
      serverCapBreach({ caps: [{ scope: 'advertiser', max: 1, window: 'day' }] }, banner, history, NOW, factsOf),
      null,
    );
    assert.notEqual(
      serverCapBreach({ caps: [{ scope: 'format', max: 1, window: 'day' }] }, banner, history, NOW, factsOf),
      null,
    );
    const rendered: FrequencyRules = { caps: [{ scope: 'advertiser', max: 1, window: 'day' }], countOn: 'rendered' };
    assert.equal(serverCapBreach(rendered, banner, history, NOW, factsOf), 'server cap advertiser 1/day');
  });

  test('minimum interval, close and click cooldowns', () => {
    const recent = [seen(sibling, NOW - 10 * 60_000)];
    assert.equal(
      serverCapBreach({ minInterval: [{ scope: 'campaign', seconds: 1800 }] }, banner, recent, NOW, factsOf),
      'server min interval campaign 1800s',
    );
    assert.equal(
      serverCapBreach({ minInterval: [{ scope: 'creative', seconds: 1800 }] }, banner, recent, NOW, factsOf),
      null,
    );
    const closed = [seen(sibling, NOW - HOUR, 'close')];
    assert.equal(
      serverCapBreach({ closeCooldownSeconds: 86_400 }, banner, closed, NOW, factsOf),
      'server close cooldown 86400s',
    );
    assert.equal(serverCapBreach({ closeCooldownSeconds: 1800 }, banner, closed, NOW, factsOf), null);
    const clicked = [seen(banner, NOW - HOUR, 'click')];
    assert.notEqual(serverCapBreach({ clickCooldownSeconds: 7200 }, banner, clicked, NOW, factsOf), null);
  });
});
