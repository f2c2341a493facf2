/**
 * A time as AWS writes it with seconds precision — `2026-11-26T04:00:00Z` (UTC, no milliseconds):
 * the aws:CurrentTime condition key and CloudTrail's eventTime. Kept for the current second: the
 * twin asks for it several times per request.
 */
let cachedSecond = Number.NaN;
let cachedText = '';

export function isoSeconds(time: Date): string {
  const second = Math.floor(time.getTime() / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return cachedText;
}
