// The catalogue behind the ten-slot page: the reference server's own seed plus `count` copies of its smallest
// corporate-web slot, each with copies of that slot's creatives (same images, advertisers and landing URLs), so that
// every slot of the page gets a creative and the decision work is that of real catalogue entries.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../lib/toolchain.mjs';

const CHANNEL = 'corporate-web';

/**
 * Writes the seed into `folder` (with a link to the shipped creatives, which the server looks for beside the seed)
 * and resolves with its path and the bench slots: `{ seedPath, slots: [{ id, width, height }] }`.
 */
export async function writeBenchSeed(folder, count) {
  const { DEFAULT_SEED_PATH } = await import(pathToFileURL(join(ROOT, 'packages/server/dist/index.js')).href);
  const seed = JSON.parse(readFileSync(DEFAULT_SEED_PATH, 'utf8'));
  const fillable = seed.slots.filter(
    (slot) => slot.channel === CHANNEL && slot.enabled !== false && seed.creatives.some((c) => c.slotId === slot.id),
  );
  if (fillable.length === 0) throw new Error(`the server's seed has no ${CHANNEL} slot with a creative`);
  // The smallest slot lays out several to a row, so that all of them are in view at once (viewability needs that).
  const [model] = fillable.sort((a, b) => a.width * a.height - b.width * b.height);
  const creatives = seed.creatives.filter((creative) => creative.slotId === model.id);
  const slots = Array.from({ length: count }, (_, index) => ({
    ...model,
    id: `bench-slot-${String(index + 1).padStart(2, '0')}`,
  }));
  seed.slots.push(...slots);
  for (const slot of slots) {
    seed.creatives.push(
      ...creatives.map((creative) => ({ ...creative, id: `${creative.id}-${slot.id}`, slotId: slot.id })),
    );
  }
  mkdirSync(folder, { recursive: true });
  const seedPath = join(folder, 'seed.json');
  writeFileSync(seedPath, JSON.stringify(seed));
  symlinkSync(join(dirname(DEFAULT_SEED_PATH), 'creatives'), join(folder, 'creatives'));
  return { seedPath, channel: CHANNEL, slots: slots.map(({ id, width, height }) => ({ id, width, height })) };
}
