/**
 * The "Experiments and trials" view, as pure functions: which experiments to
 * reload, table columns, filtering and sorting, the side-by-side comparison,
 * CSV export and the data behind its three charts.
 *
 * A trial is a candidate plus the experiment it belongs to; trial names repeat
 * across experiments, so a trial is identified by `trialKey`.
 */
import type {
  CandidateStatus,
  ExperimentSummary,
  Trial,
  TrialList
} from '../api/types';
import {
  formatDateTime,
  formatDuration,
  formatMetric,
  formatValue
} from '../format';
import { toCsvRow } from './csv';
import { isExperimentActive } from './status';
import { isMaximized } from './metrics';
import { bestCandidate, sortByKey } from './sorting';

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

// Loading ---------------------------------------------------------------------

/** Whether an experiment is still moving (a dry run only looks queued). */
export function experimentRunning(
  e: Pick<ExperimentSummary, 'status' | 'dry_run'>
): boolean {
  return isExperimentActive(e.status) && !e.dry_run;
}

/**
 * The experiments whose trials must be fetched again, given the previous and the
 * current experiments list; `null` means everything (first load). Finished
 * experiments that did not change keep their trials: polling while one
 * experiment runs then asks only for that experiment's trials.
 */
export function experimentsToReload(
  previous: readonly ExperimentSummary[] | null,
  current: readonly ExperimentSummary[]
): string[] | null {
  if (previous === null) {
    return null;
  }
  const before = new Map(previous.map(e => [e.name, e]));
  return current
    .filter(e => {
      const old = before.get(e.name);
      return (
        !old ||
        experimentRunning(e) ||
        old.status !== e.status ||
        old.candidates_completed !== e.candidates_completed ||
        old.ended_at !== e.ended_at ||
        old.created_at !== e.created_at
      );
    })
    .map(e => e.name);
}

/**
 * Trials after a (partial) reload: those of the `reloaded` experiments are
 * replaced by `fresh` (all of them when `reloaded` is null), and trials of
 * experiments that are not `known` any more (deleted) are dropped.
 */
export function mergeTrials(
  current: readonly Trial[],
  fresh: readonly Trial[],
  reloaded: readonly string[] | null,
  known?: ReadonlySet<string>
): Trial[] {
  if (reloaded === null) {
    return known ? fresh.filter(t => known.has(t.experiment)) : [...fresh];
  }
  const replaced = new Set(reloaded);
  const kept = current.filter(
    t => !replaced.has(t.experiment) && (!known || known.has(t.experiment))
  );
  return [...kept, ...fresh];
}

/** Sorted like Python's `sorted` (code points), as the server sorts its names. */
function sortedNames(names: Iterable<string>): string[] {
  return Array.from(new Set(names)).sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0
  );
}

/** Metric and hyperparameter names among trials (what the server's TrialList lists). */
export function trialNames(
  trials: readonly Trial[]
): Pick<TrialList, 'metric_names' | 'hyperparameter_names'> {
  return {
    metric_names: sortedNames(
      trials.flatMap(t => Object.keys(t.metrics ?? {}))
    ),
    hyperparameter_names: sortedNames(
      trials.flatMap(t => Object.keys(t.hyperparameters ?? {}))
    )
  };
}

// Table columns -----------------------------------------------------------------

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
function hasHyperparameter(t: Trial, name: string): boolean {
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

const STATUS_ORDER: Record<string, number> = {
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

// Filtering and sorting -----------------------------------------------------------

/** The toolbar's filters. */
export interface ITrialsFilter {
  /** Case-insensitive substring of the trial, experiment or algorithm name. */
  search: string;
  /** Only these experiments; empty = all. */
  experiments: readonly string[];
  status: CandidateStatus | '';
  algorithm: string;
}

export const DEFAULT_TRIALS_FILTER: ITrialsFilter = {
  search: '',
  experiments: [],
  status: '',
  algorithm: ''
};

/** Whether any filter is set. */
export function isFiltered(filter: ITrialsFilter): boolean {
  return (
    filter.search.trim() !== '' ||
    filter.experiments.length > 0 ||
    filter.status !== '' ||
    filter.algorithm !== ''
  );
}

/** Trials passing the filters (the server's `search` semantics); never mutates `list`. */
export function filterTrials(
  list: readonly Trial[],
  filter: ITrialsFilter
): Trial[] {
  const needle = filter.search.trim().toLowerCase();
  const experiments = new Set(filter.experiments);
  return list.filter(
    t =>
      (!experiments.size || experiments.has(t.experiment)) &&
      (!filter.status || t.status === filter.status) &&
      (!filter.algorithm || t.algorithm === filter.algorithm) &&
      (!needle ||
        t.name.toLowerCase().includes(needle) ||
        t.experiment.toLowerCase().includes(needle) ||
        t.algorithm.toLowerCase().includes(needle))
  );
}

/** Choices of the filter dropdowns: every experiment (with or without trials), algorithm and status. */
export function filterChoices(
  trials: readonly Trial[],
  experiments: readonly Pick<ExperimentSummary, 'name'>[] = []
): { experiments: string[]; algorithms: string[]; statuses: string[] } {
  return {
    experiments: sortedNames([
      ...experiments.map(e => e.name),
      ...trials.map(t => t.experiment)
    ]),
    algorithms: sortedNames(trials.map(t => t.algorithm)),
    statuses: sortedNames(trials.map(t => t.status)).sort(
      (a, b) => (STATUS_ORDER[a] ?? 9) - (STATUS_ORDER[b] ?? 9)
    )
  };
}

/** How the table is sorted. */
export interface ITrialsSort {
  column: string;
  order: 'asc' | 'desc';
}

/** Newest trials first. */
export const DEFAULT_TRIALS_SORT: ITrialsSort = {
  column: 'started_at',
  order: 'desc'
};

/**
 * The order a column sorts in when first clicked: best first for metrics (by the
 * metric's goal) and the objective (by the trials' goal), newest first for
 * times, A to Z for text.
 */
export function firstSortOrder(
  columnId: string,
  trials: readonly Trial[] = []
): 'asc' | 'desc' {
  if (columnId === 'started_at' || columnId === 'ended_at') {
    return 'desc';
  }
  if (columnId === 'objective') {
    const goals = trials.filter(t => t.objective_value !== null);
    return goals.length > 0 && goals.every(t => !objectiveMaximized(t))
      ? 'asc'
      : 'desc';
  }
  if (columnId.startsWith('metric:')) {
    return isMaximized(columnId.slice('metric:'.length)) ? 'desc' : 'asc';
  }
  return 'asc';
}

/** The sort after a header is activated: its first order, then reversed on each click. */
export function nextTrialsSort(
  current: ITrialsSort,
  columnId: string,
  trials: readonly Trial[] = []
): ITrialsSort {
  if (current.column !== columnId) {
    return { column: columnId, order: firstSortOrder(columnId, trials) };
  }
  return { column: columnId, order: current.order === 'asc' ? 'desc' : 'asc' };
}

/** `aria-sort` of a column header. */
export function trialsAriaSort(
  sort: ITrialsSort,
  columnId: string
): 'ascending' | 'descending' | 'none' {
  if (sort.column !== columnId) {
    return 'none';
  }
  return sort.order === 'asc' ? 'ascending' : 'descending';
}

/** Sort trials; missing values last in either order, numbers before text; stable. */
export function sortTrials(list: readonly Trial[], sort: ITrialsSort): Trial[] {
  return sortByKey(
    list,
    t => trialSortValue(t, sort.column),
    sort.order === 'asc' ? 1 : -1,
    { numericText: true }
  );
}

/**
 * Keys of the best trial of each experiment: the one the server marks, else the
 * top-ranked one.
 */
export function bestTrialKeys(trials: readonly Trial[]): Set<string> {
  const byExperiment = new Map<string, Trial[]>();
  for (const t of trials) {
    const group = byExperiment.get(t.experiment);
    if (group) {
      group.push(t);
    } else {
      byExperiment.set(t.experiment, [t]);
    }
  }
  const keys = new Set<string>();
  for (const group of byExperiment.values()) {
    const best = bestCandidate(group);
    if (best) {
      keys.add(trialKey(best));
    }
  }
  return keys;
}

// Comparison -------------------------------------------------------------------

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

const MISSING = '–';

/** A value made comparable: equal values give equal strings. */
function canonical(value: unknown): string {
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

/** Which values are the best: the largest (or smallest) of two or more numbers. */
function bestFlags(
  values: ReadonlyArray<number | null>,
  maximize: boolean | null
): boolean[] {
  const present = values.filter((v): v is number => v !== null);
  if (maximize === null || present.length < 2) {
    return values.map(() => false);
  }
  const target = maximize ? Math.max(...present) : Math.min(...present);
  if (present.every(v => v === target)) {
    return values.map(() => false);
  }
  return values.map(v => v === target);
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

// CSV export -------------------------------------------------------------------

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

// Chart data ---------------------------------------------------------------------

/** A point of the objective-over-time chart. */
export interface IObjectivePoint {
  key: string;
  experiment: string;
  trial: string;
  metric: string;
  /** When the trial ended (ISO). */
  time: string;
  value: number;
  /** The experiment's best objective up to this trial. */
  best: number;
}

/**
 * Finished trials with an objective value, per experiment in end-time order,
 * with the best value so far (by each experiment's goal).
 */
export function objectiveTimeline(trials: readonly Trial[]): IObjectivePoint[] {
  const byExperiment = new Map<string, Trial[]>();
  for (const t of trials) {
    if (
      typeof t.objective_value !== 'number' ||
      !isFinite(t.objective_value) ||
      !t.ended_at ||
      isNaN(Date.parse(t.ended_at))
    ) {
      continue;
    }
    const list = byExperiment.get(t.experiment) ?? [];
    list.push(t);
    byExperiment.set(t.experiment, list);
  }
  const points: IObjectivePoint[] = [];
  for (const [experiment, list] of byExperiment) {
    list.sort(
      (a, b) => Date.parse(a.ended_at ?? '') - Date.parse(b.ended_at ?? '')
    );
    let best: number | null = null;
    for (const t of list) {
      const value = t.objective_value as number;
      const maximize = objectiveMaximized(t);
      best =
        best === null
          ? value
          : maximize
            ? Math.max(best, value)
            : Math.min(best, value);
      points.push({
        key: trialKey(t),
        experiment,
        trial: t.name,
        metric: t.objective_metric ?? '',
        time: t.ended_at as string,
        value,
        best
      });
    }
  }
  return points;
}

/** A hyperparameter value for charts: a number, a category, or undefined (missing). */
export function chartValue(
  t: Trial,
  name: string
): number | string | undefined {
  if (!hasHyperparameter(t, name)) {
    return undefined;
  }
  const value = t.hyperparameters?.[name];
  if (typeof value === 'number') {
    return isFinite(value) ? value : undefined;
  }
  return hyperparameterText(t, name);
}

/** Whether a hyperparameter's values are all objects (an ensemble's members): not charted. */
function objectValued(trials: readonly Trial[], name: string): boolean {
  const values = trials
    .filter(t => hasHyperparameter(t, name))
    .map(t => t.hyperparameters?.[name]);
  return (
    values.length > 0 && values.every(v => v !== null && typeof v === 'object')
  );
}

/** Hyperparameters that can be charted (scalar values), most common first, then A to Z. */
export function chartHyperparameters(trials: readonly Trial[]): string[] {
  const names = trialNames(trials as Trial[]).hyperparameter_names.filter(
    name => !objectValued(trials, name)
  );
  const coverage = (name: string) =>
    trials.filter(t => hasHyperparameter(t, name)).length;
  return names.sort((a, b) => coverage(b) - coverage(a));
}

/** The metric the charts start with: the most common objective, else the first metric. */
export function defaultChartMetric(trials: readonly Trial[]): string | null {
  const counts = new Map<string, number>();
  for (const t of trials) {
    if (t.objective_metric && metricValue(t, t.objective_metric) !== null) {
      counts.set(t.objective_metric, (counts.get(t.objective_metric) ?? 0) + 1);
    }
  }
  let best: string | null = null;
  for (const [metric, count] of counts) {
    if (best === null || count > (counts.get(best) ?? 0)) {
      best = metric;
    }
  }
  return best ?? trialNames(trials as Trial[]).metric_names[0] ?? null;
}

/**
 * The hyperparameter the scatter plot starts with: among trials with `metric`,
 * the one with the most different numeric values (then the most common).
 */
export function defaultChartHyperparameter(
  trials: readonly Trial[],
  metric: string | null
): string | null {
  const withMetric = metric
    ? trials.filter(t => metricValue(t, metric) !== null)
    : [...trials];
  const names = chartHyperparameters(withMetric);
  const score = (name: string) => {
    const values = withMetric
      .map(t => chartValue(t, name))
      .filter(v => v !== undefined);
    const numeric = values.every(v => typeof v === 'number');
    return (numeric ? 1000 : 0) + new Set(values).size * 10 + values.length;
  };
  let best: string | null = null;
  for (const name of names) {
    if (best === null || score(name) > score(best)) {
      best = name;
    }
  }
  return best;
}

/** Whether positive values spread over two orders of magnitude or more (log scale). */
export function wantsLogScale(values: readonly number[]): boolean {
  if (values.length < 2 || values.some(v => !(v > 0))) {
    return false;
  }
  return Math.max(...values) / Math.min(...values) >= 100;
}

/** Natural order of category texts ("2" before "10"). */
function compareCategories(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

/** A point of the metric-vs-hyperparameter scatter plot. */
export interface IScatterPoint {
  key: string;
  experiment: string;
  trial: string;
  algorithm: string;
  x: number | string;
  y: number;
  selected: boolean;
}

/** The scatter plot's points and its x axis: numbers (maybe on a log scale) or categories. */
export interface IScatterData {
  points: IScatterPoint[];
  kind: 'quantitative' | 'nominal';
  log: boolean;
  /** Category order (nominal axes). */
  categories: string[];
}

/**
 * Trials having both `metric` and `hyperparameter`. A hyperparameter whose
 * values are not all numbers is plotted as categories (its numbers as text).
 */
export function scatterData(
  trials: readonly Trial[],
  metric: string,
  hyperparameter: string,
  selected: ReadonlySet<string> = new Set()
): IScatterData {
  const rows = trials
    .map(t => ({
      t,
      x: chartValue(t, hyperparameter),
      y: metricValue(t, metric)
    }))
    .filter(r => r.x !== undefined && r.y !== null);
  const numeric = rows.every(r => typeof r.x === 'number');
  const points = rows.map(r => ({
    key: trialKey(r.t),
    experiment: r.t.experiment,
    trial: r.t.name,
    algorithm: r.t.algorithm,
    x: numeric ? (r.x as number) : String(r.x),
    y: r.y as number,
    selected: selected.has(trialKey(r.t))
  }));
  return {
    points,
    kind: numeric ? 'quantitative' : 'nominal',
    log: numeric && wantsLogScale(points.map(p => p.x as number)),
    categories: numeric
      ? []
      : Array.from(new Set(points.map(p => p.x as string))).sort(
          compareCategories
        )
  };
}

/** Where a missing value is drawn on a parallel-coordinates axis (below it). */
export const PARALLEL_MISSING = -0.12;

/** An axis of the parallel-coordinates chart. */
export interface IParallelAxis {
  /** Unique id (`hp:<name>` or `metric:<name>`). */
  id: string;
  label: string;
  kind: 'hyperparameter' | 'metric';
  scale: 'linear' | 'log' | 'category';
  /** Labels along the axis at normalised positions (0 = bottom, 1 = top). */
  ticks: Array<{ position: number; text: string }>;
}

/** One trial's value on one axis. */
export interface IParallelValue {
  key: string;
  experiment: string;
  trial: string;
  axis: string;
  /** Position of the axis, from 0 (left). */
  index: number;
  /** 0..1 along the axis, PARALLEL_MISSING when the trial lacks the value. */
  position: number;
  text: string;
  selected: boolean;
}

export interface IParallelData {
  axes: IParallelAxis[];
  values: IParallelValue[];
  /** Whether some values are missing (drawn below their axis). */
  hasMissing: boolean;
}

/** Normalise values of one axis to 0..1 with its ticks. */
function normaliseAxis(values: ReadonlyArray<number | string | undefined>): {
  scale: IParallelAxis['scale'];
  positions: Array<number | null>;
  ticks: IParallelAxis['ticks'];
} {
  const present = values.filter(v => v !== undefined) as Array<number | string>;
  if (present.every(v => typeof v === 'number')) {
    const numbers = present as number[];
    const log = wantsLogScale(numbers);
    const f = (v: number) => (log ? Math.log10(v) : v);
    const low = Math.min(...numbers.map(f));
    const high = Math.max(...numbers.map(f));
    const position = (v: number) =>
      high === low ? 0.5 : (f(v) - low) / (high - low);
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    return {
      scale: log ? 'log' : 'linear',
      positions: values.map(v =>
        v === undefined ? null : position(v as number)
      ),
      ticks:
        min === max
          ? [{ position: 0.5, text: formatValue(min) }]
          : [
              { position: 0, text: formatValue(min) },
              { position: 1, text: formatValue(max) }
            ]
    };
  }
  const categories = Array.from(new Set(present.map(String))).sort(
    compareCategories
  );
  const position = (text: string) =>
    categories.length === 1
      ? 0.5
      : categories.indexOf(text) / (categories.length - 1);
  // Label every category when few, else the first and the last.
  const labelled =
    categories.length <= 8
      ? categories
      : [categories[0], categories[categories.length - 1]];
  return {
    scale: 'category',
    positions: values.map(v => (v === undefined ? null : position(String(v)))),
    ticks: labelled.map(text => ({ position: position(text), text }))
  };
}

/** `normaliseAxis`, plus a "missing" tick below the axis when a value is missing. */
function normaliseAxisWithMissing(
  values: ReadonlyArray<number | string | undefined>
): ReturnType<typeof normaliseAxis> {
  const axis = normaliseAxis(values);
  if (values.some(v => v === undefined)) {
    axis.ticks.push({ position: PARALLEL_MISSING, text: MISSING });
  }
  return axis;
}

/**
 * Parallel coordinates of the trials having `metric`: one axis per
 * hyperparameter that varies among them (at most `maxAxes`, the most common
 * first), then the metric. Values are normalised to 0..1 per axis (log scale for
 * positive values over two orders of magnitude; categories evenly spaced in
 * natural order); a trial without a hyperparameter is drawn below that axis.
 */
export function parallelData(
  trials: readonly Trial[],
  metric: string,
  selected: ReadonlySet<string> = new Set(),
  maxAxes = 8
): IParallelData {
  const plotted = trials.filter(t => metricValue(t, metric) !== null);
  const varying = chartHyperparameters(plotted).filter(name => {
    const values = plotted.map(t => chartValue(t, name));
    return new Set(values.map(v => canonical(v))).size > 1;
  });
  const axisNames = varying.slice(0, Math.max(0, maxAxes));
  const columns: Array<{
    id: string;
    label: string;
    kind: IParallelAxis['kind'];
    values: Array<number | string | undefined>;
  }> = [
    ...axisNames.map(name => ({
      id: hyperparameterColumnId(name),
      label: name,
      kind: 'hyperparameter' as const,
      values: plotted.map(t => chartValue(t, name))
    })),
    {
      id: metricColumnId(metric),
      label: metric,
      kind: 'metric' as const,
      values: plotted.map(t => metricValue(t, metric) as number)
    }
  ];
  const axes: IParallelAxis[] = [];
  const values: IParallelValue[] = [];
  let hasMissing = false;
  columns.forEach((column, index) => {
    const { scale, positions, ticks } = normaliseAxisWithMissing(column.values);
    axes.push({
      id: column.id,
      label: column.label,
      kind: column.kind,
      scale,
      ticks
    });
    plotted.forEach((t, row) => {
      const position = positions[row];
      const raw = column.values[row];
      hasMissing = hasMissing || position === null;
      values.push({
        key: trialKey(t),
        experiment: t.experiment,
        trial: t.name,
        axis: column.id,
        index,
        position: position === null ? PARALLEL_MISSING : position,
        text:
          raw === undefined
            ? MISSING
            : typeof raw === 'number'
              ? column.kind === 'metric'
                ? formatMetric(raw)
                : formatValue(raw)
              : raw,
        selected: selected.has(trialKey(t))
      });
    });
  });
  return { axes, values, hasMissing };
}
