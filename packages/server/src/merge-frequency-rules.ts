import type { FrequencyRules } from '@opslot/core';

/**
 * A creative's rules on top of its campaign's: caps and minimum intervals add up (every one must pass), while the
 * creative's cooldowns and `countOn` replace the campaign's. Null when neither has rules.
 */
export function mergeFrequencyRules(
  campaign: FrequencyRules | null,
  creative: FrequencyRules | null,
): FrequencyRules | null {
  if (!campaign) return creative;
  if (!creative) return campaign;
  const merged: FrequencyRules = { ...campaign, ...creative };
  const caps = [...(campaign.caps ?? []), ...(creative.caps ?? [])];
  const minInterval = [...(campaign.minInterval ?? []), ...(creative.minInterval ?? [])];
  if (caps.length > 0) merged.caps = caps;
  if (minInterval.length > 0) merged.minInterval = minInterval;
  return merged;
}
