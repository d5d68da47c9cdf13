/**
 * The data behind the trials view's three charts: objective over time, a metric
 * against a hyperparameter, and parallel coordinates.
 */
import type { Trial } from '../api/types';
import { formatMetric, formatValue } from '../format';
import {
  hasHyperparameter,
  hyperparameterColumnId,
  hyperparameterText,
  metricColumnId,
  metricValue
} from './columns';
import { MISSING, canonical } from './comparison';
import { trialNames } from './loading';
import { objectiveMaximized, trialKey } from './trial';

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
