/**
 * How the trials view names its columns and statuses.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { statusLabel } from '../logic/stages';

/** A trial field's column or row label. */
export function fieldLabel(name: string, trans: TranslationBundle): string {
  const labels: Record<string, string> = {
    name: trans.__('Trial'),
    experiment: trans.__('Experiment'),
    status: trans.__('Status'),
    algorithm: trans.__('Algorithm'),
    preprocessing: trans.__('Preprocessing'),
    objective_metric: trans.__('Objective metric'),
    objective: trans.__('Objective'),
    rank: trans.__('Rank'),
    started_at: trans.__('Started'),
    ended_at: trans.__('Ended'),
    duration: trans.__('Duration')
  };
  return labels[name] ?? name;
}

/** A trial status as words ("Training" while it runs). */
export function trialStatusLabel(
  status: string,
  trans: TranslationBundle
): string {
  return status === 'InProgress'
    ? trans.__('Training')
    : statusLabel(status, trans);
}
