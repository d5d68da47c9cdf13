/** Small, pure formatting helpers shared by the panels (unit-tested with jest). */

/** "12 s", "3 min 5 s", "1 h 2 min" for a duration in seconds. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) {
    return '';
  }
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    const rest = s % 60;
    return rest ? `${m} min ${rest} s` : `${m} min`;
  }
  const h = Math.floor(m / 60);
  const restMin = m % 60;
  return restMin ? `${h} h ${restMin} min` : `${h} h`;
}

/** Seconds between two ISO timestamps (or until `now` when `end` is missing). */
export function elapsedSeconds(
  start: string | null | undefined,
  end: string | null | undefined,
  now: number = Date.now()
): number | null {
  if (!start) {
    return null;
  }
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now;
  if (isNaN(from) || isNaN(to)) {
    return null;
  }
  return Math.max(0, (to - from) / 1000);
}

/** A metric value with sensible precision ("0.9512", "1.23e+4"). */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || !isFinite(value)) {
    return '–';
  }
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) {
    return value.toExponential(2);
  }
  return value.toFixed(4).replace(/\.?0+$/, '') || '0';
}

/** "2 minutes ago"-style relative time for list rows. */
export function formatRelativeTime(
  iso: string | null | undefined,
  now: number = Date.now()
): string {
  if (!iso) {
    return '';
  }
  const t = Date.parse(iso);
  if (isNaN(t)) {
    return '';
  }
  const seconds = Math.round((now - t) / 1000);
  if (seconds < 45) {
    return 'just now';
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.round(minutes / 60);
  if (hours < 24) {
    return `${hours} h ago`;
  }
  return new Date(t).toLocaleDateString();
}
