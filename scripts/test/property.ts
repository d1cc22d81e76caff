/** Number of runs for a property, scaled by FC_SCALE (see property-setup.ts). */
export function runs(n: number): { numRuns: number } {
  const scale = Number(process.env.FC_SCALE ?? 1);
  return { numRuns: Math.max(1, Math.round(n * (Number.isFinite(scale) && scale > 0 ? scale : 1))) };
}
