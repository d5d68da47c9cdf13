/**
 * The trials table's columns (fixed fields, then metrics, then hyperparameters)
 * and the value each trial shows and sorts by in a column.
 */
import type { Trial, TrialList } from '../api/types';
import { formatValue } from '../format';

/** The fixed columns of the trials table, in order. */
export const TRIAL_FIELDS = [
  'name',
  'experiment',
  'status',
  'algorithm',
  'objective',
  'started_at',
  'duration'
] as const;

export type TrialField = (typeof TRIAL_FIELDS)[number];

/** A column of the trials table. */
export interface ITrialColumn {
  /** A field name, `metric:<name>` or `hp:<name>`. */
  id: string;
  kind: 'field' | 'metric' | 'hyperparameter';
  /** The field, metric or hyperparameter name. */
  name: string;
  /** Right-aligned numbers. */
  numeric: boolean;
}

const NUMERIC_FIELDS: ReadonlySet<string> = new Set(['objective', 'duration']);

/** Id of a metric column. */
export function metricColumnId(name: string): string {
  return `metric:${name}`;
}

/** Id of a hyperparameter column. */
export function hyperparameterColumnId(name: string): string {
  return `hp:${name}`;
}

/** Fixed columns, then one per metric, then one per hyperparameter. */
export function trialColumns(
  names: Pick<TrialList, 'metric_names' | 'hyperparameter_names'>
): ITrialColumn[] {
  return [
    ...TRIAL_FIELDS.map(name => ({
      id: name,
      kind: 'field' as const,
      name,
      numeric: NUMERIC_FIELDS.has(name)
    })),
    ...names.metric_names.map(name => ({
      id: metricColumnId(name),
      kind: 'metric' as const,
      name,
      numeric: true
    })),
    ...names.hyperparameter_names.map(name => ({
      id: hyperparameterColumnId(name),
      kind: 'hyperparameter' as const,
      name,
      numeric: false
    }))
  ];
}

/** A metric value, or null when missing or not a finite number. */
export function metricValue(t: Trial, metric: string): number | null {
  const value = t.metrics?.[metric];
  return typeof value === 'number' && isFinite(value) ? value : null;
}

/** Whether a trial has a hyperparameter (a null value counts: it is "None"). */
export function hasHyperparameter(t: Trial, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(t.hyperparameters ?? {}, name);
}

/** A hyperparameter as table text ('' when the trial does not have it). */
export function hyperparameterText(t: Trial, name: string): string {
  if (!hasHyperparameter(t, name)) {
    return '';
  }
  const value = t.hyperparameters?.[name];
  return value === null ? 'None' : formatValue(value);
}

export const STATUS_ORDER: Record<string, number> = {
  InProgress: 0,
  Completed: 1,
  Stopped: 2,
  Pruned: 3,
  Failed: 4
};

/** The value a trial sorts by in a column (null sorts last). */
export function trialSortValue(
  t: Trial,
  columnId: string
): string | number | null {
  switch (columnId) {
    case 'name':
    case 'experiment':
    case 'algorithm':
      return String(t[columnId] ?? '').toLowerCase();
    case 'status':
      return STATUS_ORDER[t.status] ?? 9;
    case 'objective':
      return typeof t.objective_value === 'number' &&
        isFinite(t.objective_value)
        ? t.objective_value
        : null;
    case 'duration':
      return t.duration_seconds ?? null;
    case 'started_at':
    case 'ended_at': {
      const time = Date.parse(t[columnId] ?? '');
      return isNaN(time) ? null : time;
    }
  }
  if (columnId.startsWith('metric:')) {
    return metricValue(t, columnId.slice('metric:'.length));
  }
  if (columnId.startsWith('hp:')) {
    const name = columnId.slice('hp:'.length);
    if (!hasHyperparameter(t, name)) {
      return null;
    }
    const value = t.hyperparameters?.[name];
    if (typeof value === 'number') {
      return isFinite(value) ? value : null;
    }
    return hyperparameterText(t, name).toLowerCase();
  }
  return null;
}
