/**
 * Metric direction: the frontend's one home for "is a smaller value better?".
 * The server lists its minimised metrics in `Health.defaults.minimized_metrics`
 * (the same list its ranking uses); `AutopilotModel.health()` hands every answer
 * to `setMinimizedMetrics`, and the leaderboard, the trials view, comparisons
 * and variant metrics all ask `isMaximized`. No metric names are listed here.
 */

/** The server's minimised metrics (none known before its first health answer). */
let minimized: ReadonlySet<string> = new Set();

/** Take the server's list of metrics where a smaller value is better. */
export function setMinimizedMetrics(names: Iterable<string>): void {
  minimized = new Set(names);
}

/** Whether larger values of `metric` are better. */
export function isMaximized(metric: string | null | undefined): boolean {
  return !minimized.has(metric ?? '');
}
