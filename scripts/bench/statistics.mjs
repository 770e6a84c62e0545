// Order statistics for timings. Medians and the 90th percentile by nearest rank: no interpolation invents a value
// that was not measured.

/** The value at quantile `q` (0–1) of `values` by nearest rank; undefined for none. */
export function quantile(values, q) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (values) => quantile(values, 0.5);
export const p90 = (values) => quantile(values, 0.9);
