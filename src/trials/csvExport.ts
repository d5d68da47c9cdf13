/**
 * The trials table as a CSV file, and a free name to save it under.
 */
import type { Trial } from '../api/types';
import { toCsvRow } from '../logic/csv';
import { sortedNames, trialNames } from './loading';

/** A value as a CSV field's text: numbers in full precision, objects as JSON. */
function csvText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    return isFinite(value) ? String(value) : '';
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

/**
 * The trials as CSV text (RFC 4180 quoting), one row per trial in the given
 * order. Column names follow the Python client's `trials_frame()`:
 * `validation:<metric>`, `train:<metric>` and `hp:<hyperparameter>`.
 */
export function trialsToCsv(trials: readonly Trial[]): string {
  const names = trialNames(trials as Trial[]);
  const train = sortedNames(
    trials.flatMap(t => Object.keys(t.train_metrics ?? {}))
  );
  const header = [
    'experiment',
    'name',
    'status',
    'algorithm',
    'preprocessing',
    'objective_metric',
    'objective_goal',
    'objective',
    'best',
    'rank',
    'started_at',
    'ended_at',
    'duration_s',
    ...names.metric_names.map(m => `validation:${m}`),
    ...train.map(m => `train:${m}`),
    ...names.hyperparameter_names.map(h => `hp:${h}`)
  ];
  const lines = [toCsvRow(header)];
  for (const t of trials) {
    lines.push(
      toCsvRow(
        [
          t.experiment,
          t.name,
          t.status,
          t.algorithm,
          t.preprocessing,
          t.objective_metric,
          t.objective_goal,
          t.objective_value,
          t.is_best,
          t.rank,
          t.started_at,
          t.ended_at,
          t.duration_seconds,
          ...names.metric_names.map(m => t.metrics?.[m]),
          ...train.map(m => t.train_metrics?.[m]),
          ...names.hyperparameter_names.map(h => t.hyperparameters?.[h])
        ].map(csvText)
      )
    );
  }
  return lines.join('\n') + '\n';
}

/** `base.ext`, or `base-1.ext`, `base-2.ext`… when taken. */
export function uniqueFileName(
  taken: Iterable<string>,
  base = 'autopilot-trials',
  extension = '.csv'
): string {
  const names = new Set(taken);
  let candidate = `${base}${extension}`;
  for (let i = 1; names.has(candidate); i++) {
    candidate = `${base}-${i}${extension}`;
  }
  return candidate;
}
