/**
 * On large data the engine searches on a stratified sample of the training rows and
 * refits the best trials on all of them (engine/sampling.py). Each such trial's
 * hyperparameters carry `training_rows` (the rows its model was fitted on),
 * `searched_on_sample` and, for a refit, `refit_of`: this turns them into the
 * small tag the leaderboard and the trials table show beside the trial's name.
 */
import type { Trans } from './trans';

/** The tag for a sampled or refit trial: short label, tooltip, kind (a CSS hook). */
export interface ITrainingRowsTag {
  kind: 'sampled' | 'refit';
  label: string;
  title: string;
}

/** Thousands separated with commas, as the engine's messages print row counts. */
function rowCount(rows: number): string {
  return Math.round(rows).toLocaleString('en-US');
}

/**
 * The tag of a trial fitted on a sample or refit on all rows, or null for an
 * ordinary trial (small data, the ensemble, or a backend that reports no rows).
 */
export function trainingRowsTag(
  hyperparameters: { [key: string]: unknown } | null | undefined,
  trans: Trans
): ITrainingRowsTag | null {
  const rows = hyperparameters?.training_rows;
  if (typeof rows !== 'number' || !Number.isFinite(rows)) {
    return null;
  }
  if (hyperparameters?.searched_on_sample === true) {
    return {
      kind: 'sampled',
      label: trans.__('sample'),
      title: trans.__('Searched on a %1-row sample', rowCount(rows))
    };
  }
  const of = hyperparameters?.refit_of;
  return {
    kind: 'refit',
    label: trans.__('all rows'),
    title:
      typeof of === 'string'
        ? trans.__('Refit on all %1 rows (of %2)', rowCount(rows), of)
        : trans.__('Refit on all %1 rows', rowCount(rows))
  };
}
