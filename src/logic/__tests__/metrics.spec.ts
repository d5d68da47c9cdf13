import { MINIMIZED_METRICS } from '../../__tests__/fixtures';
import { bestFlags, isMaximized, setMinimizedMetrics } from '../metrics';

describe('metric direction', () => {
  afterEach(() => setMinimizedMetrics([]));

  it('takes the server’s minimised metrics; everything else is maximised', () => {
    // Before the server's first answer nothing is known to be minimised.
    expect(isMaximized('LogLoss')).toBe(true);
    setMinimizedMetrics(MINIMIZED_METRICS);
    expect(isMaximized('LogLoss')).toBe(false);
    expect(isMaximized('RMSE')).toBe(false);
    expect(isMaximized('F1')).toBe(true);
    expect(isMaximized(null)).toBe(true);
  });

  it('ranks a forecaster’s per-quantile losses like their average', () => {
    // Before the server's answer nothing is minimised, quantile losses included.
    expect(isMaximized('wQL[0.1]')).toBe(true);
    setMinimizedMetrics(MINIMIZED_METRICS);
    expect(isMaximized('AverageWeightedQuantileLoss')).toBe(false);
    expect(isMaximized('wQL[0.1]')).toBe(false);
    expect(isMaximized('wQL[0.95]')).toBe(false);
    expect(isMaximized('MASE')).toBe(false);
    expect(isMaximized('WAPE')).toBe(false);
    // Only the pattern, not any name that starts alike.
    expect(isMaximized('wQL')).toBe(true);
  });

  it('marks the best values by the goal', () => {
    expect(bestFlags([0.9, 0.8], true)).toEqual([true, false]);
    expect(bestFlags([0.3, 0.2], false)).toEqual([false, true]);
    expect(bestFlags([0.9, 0.9, 0.5], true)).toEqual([true, true, false]);
    // Nothing to compare, or nothing better.
    expect(bestFlags([0.9, null], true)).toEqual([false, false]);
    expect(bestFlags([0.95, 0.95], true)).toEqual([false, false]);
    // A value that is not a finite number is not compared.
    expect(bestFlags([NaN, 0.4, 0.6, undefined], false)).toEqual([
      false,
      true,
      false,
      false
    ]);
  });
});
