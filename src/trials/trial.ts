/**
 * A trial: a candidate plus the experiment it belongs to. Trial names repeat
 * across experiments, so a trial is identified by `trialKey`; its goal comes
 * from the trial itself, else from the metric's direction.
 *
 * The trials view's pure functions sit beside this module: loading, columns,
 * filtering, comparison, csvExport and chartData.
 */
import type { Trial } from '../api/types';
import { isMaximized } from '../logic/metrics';

/** A trial's identity across experiments: `<experiment>/<trial>`. */
export function trialKey(t: Pick<Trial, 'experiment' | 'name'>): string {
  return `${t.experiment}/${t.name}`;
}

/** Whether larger objective values are better for this trial. */
export function objectiveMaximized(
  t: Pick<Trial, 'objective_goal' | 'objective_metric'>
): boolean {
  if (t.objective_goal) {
    return t.objective_goal === 'Maximize';
  }
  return isMaximized(t.objective_metric);
}
