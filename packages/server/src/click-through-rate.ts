/** clicks / exposures rounded to 4 decimals, 0 when nothing was exposed (so no NaN or Infinity reaches JSON). */
export function clickThroughRate(clicks: number, exposures: number): number {
  if (exposures === 0) return 0;
  return Math.round((clicks / exposures) * 10_000) / 10_000;
}
