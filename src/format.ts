/** Small, pure formatting helpers shared by the panels (unit-tested with jest). */

import { identityTrans } from './logic/trans';

/** "12 s", "3 min 5 s", "1 h 2 min" for a duration in seconds. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) {
    return '';
  }
  if (seconds > 0 && seconds < 0.1) {
    return '< 0.1 s';
  }
  if (seconds > 0 && seconds < 0.95) {
    return `${seconds.toFixed(1)} s`;
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
  return value.toFixed(4);
}

/** "2 minutes ago"-style relative time for list rows. */
export function formatRelativeTime(
  iso: string | null | undefined,
  now: number = Date.now(),
  trans?: { __: (text: string, ...args: any[]) => string }
): string {
  const tr = trans ?? identityTrans;
  if (!iso) {
    return '';
  }
  const t = Date.parse(iso);
  if (isNaN(t)) {
    return '';
  }
  const seconds = Math.round((now - t) / 1000);
  if (seconds < 45) {
    return tr.__('just now');
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return tr.__('%1 min ago', minutes);
  }
  const hours = Math.round(minutes / 60);
  if (hours < 24) {
    return tr.__('%1 h ago', hours);
  }
  return new Date(t).toLocaleDateString();
}

/** "5.8 MB"-style sizes. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !isFinite(bytes) || bytes < 0) {
    return '';
  }
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** "41,188" with the user's locale grouping. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !isFinite(value)) {
    return '';
  }
  return Math.round(value).toLocaleString();
}

/** "12%" for a 0..1 fraction. */
export function formatPercent(
  fraction: number | null | undefined,
  digits = 0
): string {
  if (fraction === null || fraction === undefined || !isFinite(fraction)) {
    return '';
  }
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** A full local date and time for tooltips. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const t = Date.parse(iso);
  return isNaN(t) ? '' : new Date(t).toLocaleString();
}

/** A hyperparameter value as short text. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) {
    return '–';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? String(value)
      : String(Number(value.toPrecision(4)));
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  if (Array.isArray(value)) {
    return value.map(formatValue).join(', ');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join(', ');
  }
  return String(value);
}

/** US dollars: "$0.115" below a dollar (prices per hour are small), "$2.77" above. */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !isFinite(value)) {
    return '';
  }
  return `$${value.toFixed(Math.abs(value) < 1 ? 3 : 2)}`;
}
