import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_SEED_PATH, loadSeed } from './load-seed.js';
import { SeedError } from './seed-error.js';
import type { SeedJson } from './test-support/start-test-server.js';
import { makeTempDir, startTestServer, writeSeed } from './test-support/start-test-server.js';

describe('the shipped seed', () => {
  const { catalogue, creativesDir } = loadSeed(DEFAULT_SEED_PATH);

  test('fills the three corporate-web home slots at their exact sizes, the banner with two untargeted campaigns', () => {
    const expected = { 'home-banner': [960, 240], 'home-side': [300, 250], 'home-strip': [960, 90] };
    for (const [id, size] of Object.entries(expected)) {
      const slot = catalogue.slots.find((s) => s.id === id);
      assert.deepEqual([slot?.channel, slot?.width, slot?.height], ['corporate-web', ...size], id);
    }
    const bannerCampaigns = catalogue.creatives
      .filter((c) => c.slotId === 'home-banner')
      .map((c) => catalogue.campaigns.find((campaign) => campaign.id === c.campaignId))
      .filter((campaign) => campaign?.status === 'active' && (campaign.end === null || campaign.end > Date.now()))
      .filter((campaign) => campaign?.targeting === null);
    assert.equal(new Set(bannerCampaigns.map((c) => c?.priority)).size, 2);
  });

  test('has a slot with a creative on every channel', () => {
    for (const channel of ['corporate-web', 'corporate-mobile', 'personal-web', 'personal-mobile']) {
      const slots = catalogue.slots.filter((s) => s.channel === channel).map((s) => s.id);
      assert.ok(
        catalogue.creatives.some((c) => slots.includes(c.slotId)),
        channel,
      );
    }
  });

  test('keeps its slots switched on, but for one corporate-web slot that shows the kill switch', () => {
    const off = catalogue.slots.filter((s) => !s.enabled);
    assert.deepEqual(
      off.map((s) => [s.id, s.channel]),
      [['home-footer-disabled', 'corporate-web']],
    );
    assert.ok(
      catalogue.creatives.some((c) => c.slotId === 'home-footer-disabled'),
      'it would fill if it were switched on',
    );
    for (const slot of catalogue.slots) assert.equal(typeof slot.enabled, 'boolean', slot.id);
  });

  test('links only fictional .example domains', () => {
    for (const creative of catalogue.creatives) assert.match(new URL(creative.landingUrl).hostname, /\.example$/);
  });

  test('ships SVGs at their declared size, with no script, event handler or external reference', () => {
    const pictures = catalogue.creatives.flatMap(({ id, image, logo }) => [
      ...(image ? [{ id, image }] : []),
      ...(logo ? [{ id: `${id} logo`, image: logo }] : []),
    ]);
    for (const { image, id } of pictures) {
      const svg = readFileSync(join(creativesDir, image.file), 'utf8');
      assert.match(
        svg,
        new RegExp(
          `^<svg [^>]*width="${image.width}" height="${image.height}" viewBox="0 0 ${image.width} ${image.height}"`,
        ),
        id,
      );
      assert.doesNotMatch(svg, /<script|<foreignObject|\son[a-z]+=|href=|url\((?!#)|@import/i, id);
      assert.match(svg, /<text[^>]*>[^<]*[\u4e00-\u9fff]/, `${id} has Chinese text`);
    }
  });
});

describe('a bad seed stops the start with a clear message', () => {
  const refuses = async (edit: (seed: SeedJson) => void, message: RegExp) => {
    const dir = makeTempDir();
    try {
      const seedPath = writeSeed(dir, edit);
      await assert.rejects(startTestServer({ dir, seedPath }), (error: unknown) => {
        assert.ok(error instanceof SeedError);
        assert.match(error.message, message);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const creative = (seed: SeedJson) => {
    const first = seed.creatives[0];
    assert.ok(first);
    return first;
  };

  test('a landing URL off the advertiser allowlist', () =>
    refuses((seed) => {
      creative(seed).landingUrl = 'https://www.chengchuan-precision.example.evil.example/offer';
    }, /creatives\[0\]\.landingUrl: host www\.chengchuan-precision\.example\.evil\.example is not on the allowed domains of advertiser adv-chengchuan/));

  test('a landing URL on another advertiser’s domain', () =>
    refuses((seed) => {
      creative(seed).landingUrl = 'https://ebank.demobank.example/corporate';
    }, /creatives\[0\]\.landingUrl: host ebank\.demobank\.example is not on the allowed domains/));

  test('a landing URL that is not https', () =>
    refuses((seed) => {
      creative(seed).landingUrl = 'http://www.chengchuan-precision.example/';
    }, /creatives\[0\]\.landingUrl: http:\/\/www\.chengchuan-precision\.example\/ is not https/));

  test('a javascript: landing URL', () =>
    refuses((seed) => {
      creative(seed).landingUrl = 'javascript:alert(1)';
    }, /is not https/));

  test('a reference to a campaign that does not exist', () =>
    refuses((seed) => {
      creative(seed).campaignId = 'camp-gone';
    }, /creatives\[0\]\.campaignId: no campaign camp-gone/));

  test('a missing image file', () =>
    refuses((seed) => {
      creative(seed).image.file = 'missing.svg';
    }, /creatives\[0\]\.image\.file: .*missing\.svg is not a readable file/));

  test('a native creative without its logo, found by the seed schema', () =>
    refuses((seed) => {
      const native = seed.creatives.find((c) => c.id === 'cr-beiyu-native-corp-web') as Record<string, unknown>;
      delete native.logo;
    }, /\/creatives\/\d+\/logo is required/));

  test('a notice without its words, found by the seed schema', () =>
    refuses((seed) => {
      const notice = seed.creatives.find((c) => c.id === 'cr-demobank-notice-corp-web') as Record<string, unknown>;
      notice.text = { title: '系统升级' };
    }, /\/creatives\/\d+\/text\/body is required/));

  test('a banner without its picture, found by the seed schema', () =>
    refuses((seed) => {
      delete (creative(seed) as Record<string, unknown>).image;
    }, /\/creatives\/0\/image is required/));

  test('a missing logo file', () =>
    refuses((seed) => {
      const native = seed.creatives.find((c) => c.id === 'cr-beiyu-native-corp-web') as Record<string, unknown>;
      native.logo = { file: 'missing-logo.svg', width: 96, height: 96, alt: '北屿' };
    }, /creatives\[\d+\]\.logo\.file: .*missing-logo\.svg is not a readable file/));

  test('a campaign that ends before it starts', () =>
    refuses((seed) => {
      const campaign = seed.campaigns[0];
      assert.ok(campaign);
      campaign.end = '2024-01-01T00:00:00+08:00';
    }, /campaigns\[0\]: end must be after start/));

  test('a misspelt field, found by the seed schema', () =>
    refuses((seed) => {
      Object.assign(creative(seed), { landingURL: 'https://x.example/' });
    }, /\/creatives\/0\/landingURL is not allowed/));

  test('a kill switch that is not a boolean', () =>
    refuses((seed) => {
      Object.assign(seed.slots[0] ?? {}, { enabled: 'no' });
    }, /\/slots\/0\/enabled must be boolean/));

  test('a file that is not JSON', async () => {
    const dir = makeTempDir();
    try {
      const seedPath = writeSeed(dir);
      writeFileSync(seedPath, '{ "advertisers": [');
      assert.throws(() => loadSeed(seedPath), /cannot be loaded/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
