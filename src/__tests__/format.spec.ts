import {
  elapsedSeconds,
  formatBytes,
  formatCount,
  formatDuration,
  formatMetric,
  formatPercent,
  formatRelativeTime,
  formatValue
} from '../format';

describe('formatDuration', () => {
  it.each([
    [null, ''],
    [0, '0 s'],
    [0.02, '< 0.1 s'],
    [0.42, '0.4 s'],
    [12.4, '12 s'],
    [60, '1 min'],
    [185, '3 min 5 s'],
    [3600, '1 h'],
    [3720, '1 h 2 min']
  ])('%p -> %p', (value, text) => {
    expect(formatDuration(value as number | null)).toBe(text);
  });
});

describe('elapsedSeconds', () => {
  it('measures between two timestamps', () => {
    expect(elapsedSeconds('2026-01-01T00:00:00Z', '2026-01-01T00:01:30Z')).toBe(
      90
    );
  });
  it('runs until now without an end', () => {
    const now = Date.parse('2026-01-01T00:00:10Z');
    expect(elapsedSeconds('2026-01-01T00:00:00Z', null, now)).toBe(10);
  });
  it('is null before the start', () => {
    expect(elapsedSeconds(null, null)).toBeNull();
    expect(elapsedSeconds('garbage', null)).toBeNull();
  });
});

describe('formatMetric', () => {
  it('keeps four decimals so columns line up', () => {
    expect(formatMetric(0.952)).toBe('0.9520');
    expect(formatMetric(0.66666)).toBe('0.6667');
  });
  it('uses exponents for tiny and huge values', () => {
    expect(formatMetric(123456)).toBe('1.23e+5');
    expect(formatMetric(0.0001)).toBe('1.00e-4');
  });
  it('shows a dash for missing values', () => {
    expect(formatMetric(null)).toBe('–');
    expect(formatMetric(NaN)).toBe('–');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it.each([
    ['2026-01-01T11:59:50Z', 'just now'],
    ['2026-01-01T11:55:00Z', '5 min ago'],
    ['2026-01-01T09:00:00Z', '3 h ago']
  ])('%p', (iso, text) => {
    expect(formatRelativeTime(iso, now)).toBe(text);
  });
  it('is empty without a time', () => {
    expect(formatRelativeTime(null, now)).toBe('');
  });
});

describe('small formatters', () => {
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(5834924)).toBe('5.6 MB');
    expect(formatBytes(null)).toBe('');
  });
  it('formats counts and percentages', () => {
    expect(formatCount(41188)).toBe((41188).toLocaleString());
    expect(formatPercent(0.1126, 1)).toBe('11.3%');
    expect(formatPercent(undefined)).toBe('');
  });
  it('formats hyperparameter values', () => {
    expect(formatValue(31)).toBe('31');
    expect(formatValue(0.05)).toBe('0.05');
    expect(formatValue('gbdt')).toBe('gbdt');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(null)).toBe('–');
    expect(formatValue({ a: 0.64, b: 0.36 })).toBe('a: 0.64, b: 0.36');
    expect(formatValue([1, 2])).toBe('1, 2');
  });
});
