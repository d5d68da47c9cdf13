/**
 * Metric direction: the frontend's one home for "is a smaller value better?".
 * The server lists its minimised metrics in `Health.defaults.minimized_metrics`
 * (the same list its ranking uses); `AutopilotModel.health()` hands every answer
 * to `setMinimizedMetrics`, and the leaderboard, the trials view, comparisons
 * and variant metrics all ask `isMaximized`, and mark their best values with
 * `bestFlags`. No metric names are listed here.
 */

/** The server's minimised metrics (none known before its first health answer). */
let minimized: ReadonlySet<string> = new Set();

/** Take the server's list of metrics where a smaller value is better. */
export function setMinimizedMetrics(names: Iterable<string>): void {
  minimized = new Set(names);
}

/**
 * A forecaster's per-quantile weighted quantile loss (`wQL[0.1]`...): the server names
 * one per quantile of the experiment, so its list holds only their average.
 */
const QUANTILE_LOSS = /^wQL\[[\d.]+\]$/;

/** Whether larger values of `metric` are better. */
export function isMaximized(metric: string | null | undefined): boolean {
  const name = metric ?? '';
  if (QUANTILE_LOSS.test(name)) {
    // Each quantile's loss goes the way of their average.
    return !minimized.has('AverageWeightedQuantileLoss');
  }
  return !minimized.has(name);
}

/**
 * Which values are the best: the largest, or the smallest when `maximize` is false.
 * Nothing is marked with fewer than two numbers or when all of them are equal.
 */
export function bestFlags(
  values: ReadonlyArray<number | null | undefined>,
  maximize: boolean
): boolean[] {
  const present = values.filter(
    (v): v is number => typeof v === 'number' && isFinite(v)
  );
  if (present.length < 2) {
    return values.map(() => false);
  }
  const target = maximize ? Math.max(...present) : Math.min(...present);
  if (present.every(v => v === target)) {
    return values.map(() => false);
  }
  return values.map(v => v === target);
}
