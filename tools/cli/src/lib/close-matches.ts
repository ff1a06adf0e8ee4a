function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(
        previous[j] + 1,
        previous[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** Names close to `wanted` (edit distance, or containing it), best first, for "did you mean". */
export function closeMatches(wanted: string, candidates: string[], limit = 5): string[] {
  const lower = wanted.toLowerCase();
  return candidates
    .map((name) => {
      const candidate = name.toLowerCase();
      const score = candidate.includes(lower) || lower.includes(candidate) ? 0 : distance(lower, candidate);
      return { name, score };
    })
    .filter(({ score }) => score <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(({ name }) => name);
}
