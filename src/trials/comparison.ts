/**
 * The side-by-side comparison of chosen trials: one row per field, metric or
 * hyperparameter, differing rows and the best values flagged.
 */
import type { Trial } from '../api/types';
import { formatDateTime, formatDuration, formatMetric } from '../format';
import { bestFlags, isMaximized } from '../logic/metrics';
import {
  hasHyperparameter,
  hyperparameterColumnId,
  hyperparameterText,
  metricColumnId,
  metricValue
} from './columns';
import { trialNames } from './loading';
import { objectiveMaximized } from './trial';

/** One row of the comparison: a field, metric or hyperparameter across the chosen trials. */
export interface IComparisonRow {
  /** `field:<name>`, `metric:<name>` or `hp:<name>`. */
  id: string;
  section: 'field' | 'metric' | 'hyperparameter';
  /** The field, metric or hyperparameter name. */
  name: string;
  /** One text per trial ('–' when missing). */
  texts: string[];
  /** Whether the trials' values are not all the same (missing counts as a value). */
  differs: boolean;
  /** Per trial: whether it has the best value of the row (metrics and the objective). */
  best: boolean[];
  /** The row's goal, when it has one. */
  goal: 'Maximize' | 'Minimize' | null;
}

/** Fields compared, in order (the widget translates their names). */
export const COMPARED_FIELDS = [
  'experiment',
  'status',
  'algorithm',
  'preprocessing',
  'objective_metric',
  'objective',
  'rank',
  'duration',
  'started_at',
  'ended_at'
] as const;

export const MISSING = '–';

/** A value made comparable: equal values give equal strings. */
export function canonical(value: unknown): string {
  if (value === undefined) {
    return '\u0000missing';
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).sort(
      ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  return JSON.stringify(value) ?? String(value);
}

function fieldRow(
  name: (typeof COMPARED_FIELDS)[number],
  trials: readonly Trial[]
): IComparisonRow {
  let raw: unknown[];
  let texts: string[];
  let best = trials.map(() => false);
  let goal: IComparisonRow['goal'] = null;
  switch (name) {
    case 'objective': {
      const values = trials.map(t =>
        typeof t.objective_value === 'number' && isFinite(t.objective_value)
          ? t.objective_value
          : null
      );
      raw = values;
      texts = values.map(v => formatMetric(v));
      // Only comparable when every trial optimises the same metric the same way.
      const metrics = new Set(trials.map(t => t.objective_metric ?? ''));
      const goals = new Set(trials.map(t => objectiveMaximized(t)));
      if (metrics.size === 1 && goals.size === 1 && !metrics.has('')) {
        const maximize = goals.has(true);
        goal = maximize ? 'Maximize' : 'Minimize';
        best = bestFlags(values, maximize);
      }
      break;
    }
    case 'duration':
      raw = trials.map(t => t.duration_seconds ?? undefined);
      texts = trials.map(t => formatDuration(t.duration_seconds) || MISSING);
      break;
    case 'rank':
      raw = trials.map(t => t.rank ?? undefined);
      texts = trials.map(t => (t.rank === null ? MISSING : String(t.rank)));
      break;
    case 'started_at':
    case 'ended_at':
      raw = trials.map(t => t[name] ?? undefined);
      texts = trials.map(t => formatDateTime(t[name]) || MISSING);
      break;
    default:
      raw = trials.map(t => t[name] ?? undefined);
      texts = trials.map(t => (t[name] ? String(t[name]) : MISSING));
  }
  return {
    id: `field:${name}`,
    section: 'field',
    name,
    texts,
    differs: new Set(raw.map(canonical)).size > 1,
    best,
    goal
  };
}

/**
 * Chosen trials side by side: rows of fields, validation metrics and
 * hyperparameters (columns = trials, in the given order). Each row says whether
 * the values differ; metric rows mark the best value by the metric's goal.
 */
export function compareTrials(trials: readonly Trial[]): IComparisonRow[] {
  const names = trialNames(trials as Trial[]);
  // The objective metrics first (what the experiments optimise), then A to Z.
  const objectives = new Set<string>(
    trials.map(t => t.objective_metric ?? '').filter(Boolean)
  );
  const metrics = [
    ...names.metric_names.filter(m => objectives.has(m)),
    ...names.metric_names.filter(m => !objectives.has(m))
  ];
  const rows: IComparisonRow[] = COMPARED_FIELDS.map(name =>
    fieldRow(name, trials)
  );
  for (const metric of metrics) {
    const values = trials.map(t => metricValue(t, metric));
    const maximize = isMaximized(metric);
    rows.push({
      id: metricColumnId(metric),
      section: 'metric',
      name: metric,
      texts: values.map(v => formatMetric(v)),
      differs:
        new Set(values.map(v => (v === null ? 'null' : String(v)))).size > 1,
      best: bestFlags(values, maximize),
      goal: maximize ? 'Maximize' : 'Minimize'
    });
  }
  for (const name of names.hyperparameter_names) {
    rows.push({
      id: hyperparameterColumnId(name),
      section: 'hyperparameter',
      name,
      texts: trials.map(t => hyperparameterText(t, name) || MISSING),
      differs:
        new Set(
          trials.map(t =>
            canonical(
              hasHyperparameter(t, name) ? t.hyperparameters?.[name] : undefined
            )
          )
        ).size > 1,
      best: trials.map(() => false),
      goal: null
    });
  }
  return rows;
}
