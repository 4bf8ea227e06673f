// Medians and percentiles.
export const median = (xs) => quantile(xs, 0.5);

/** Nearest-rank quantile of `xs` (q in [0, 1]). */
export function quantile(xs, q) {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
