/**
 * Metric direction: the frontend's one home for "is a smaller value better?".
 * Sorting, the leaderboard, the trials view, comparisons and variant metrics all
 * ask `isMaximized`; nothing else lists metric names.
 *
 * SWITCH TO THE SERVER'S LIST (issue #17): the server is to list its minimised
 * metrics in the API, as it lists `metrics_by_problem_type`. Once it does, fill
 * this set from the health answer (in `AutopilotModel.health()`) instead of the
 * copy below; no other file changes.
 */
import type { ObjectiveMetric } from '../api/types';

/** Metrics where a smaller value is better (a copy of the server's list, see above). */
export const MINIMIZED_METRICS: ReadonlySet<string> = new Set<ObjectiveMetric>([
  'LogLoss',
  'MSE',
  'RMSE',
  'MAE'
]);

/** Whether larger values of `metric` are better. */
export function isMaximized(metric: string | null | undefined): boolean {
  return !MINIMIZED_METRICS.has(metric ?? '');
}
