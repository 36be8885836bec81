// A measurement aspect's tolerance bands (docs/scoring.md, "Marking"): the judge app offers them, the console reads a
// recorded deviation by them. A band holds a deviation when its absolute value is at most the band's `within`.

/** The bands, narrowest first. */
export const byWidth = <B extends { within: number }>(bands: readonly B[]): B[] => [...bands].sort((a, b) => a.within - b.within);

/** The narrowest band that holds the deviation, or undefined: outside them all. */
export const bandHolding = <B extends { within: number }>(bands: readonly B[], deviation: number): B | undefined =>
  byWidth(bands).find((band) => Math.abs(deviation) <= band.within);
