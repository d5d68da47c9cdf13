/**
 * Filtering and sorting of the experiments list and the trials leaderboard.
 */
import type {
  Candidate,
  ExperimentStatus,
  ExperimentSummary
} from '../api/types';
import { isMaximized } from './metrics';
import { isExperimentActive } from './status';

/** How the experiments list is filtered and sorted. */
export interface IExperimentsView {
  search: string;
  /** '' = every status; 'active' = queued, running or stopping. */
  status: ExperimentStatus | 'active' | '';
  sortBy: 'created_at' | 'name' | 'status' | 'objective';
  order: 'asc' | 'desc';
}

export const DEFAULT_EXPERIMENTS_VIEW: IExperimentsView = {
  search: '',
  status: '',
  sortBy: 'created_at',
  order: 'desc'
};

/** The order statuses sort in: what needs attention first. */
const STATUS_ORDER: Record<string, number> = {
  InProgress: 0,
  Queued: 1,
  Stopping: 2,
  Failed: 3,
  Interrupted: 4,
  Stopped: 5,
  Completed: 6
};

/** Filter by name substring and status, then sort; never mutates `list`. */
export function filterAndSortExperiments(
  list: readonly ExperimentSummary[],
  view: IExperimentsView
): ExperimentSummary[] {
  const needle = view.search.trim().toLowerCase();
  const filtered = list.filter(e => {
    if (needle && !e.name.toLowerCase().includes(needle)) {
      return false;
    }
    if (view.status === 'active') {
      return isExperimentActive(e.status);
    }
    return !view.status || e.status === view.status;
  });
  const direction = view.order === 'asc' ? 1 : -1;
  const key = (e: ExperimentSummary): string | number | null => {
    switch (view.sortBy) {
      case 'name':
        return e.name.toLowerCase();
      case 'status':
        return STATUS_ORDER[e.status] ?? 99;
      case 'objective':
        return e.best_candidate?.objective_value ?? null;
      default:
        return Date.parse(e.created_at) || 0;
    }
  };
  return sortByKey(filtered, key, direction);
}

/** A leaderboard column to sort by: `objective`, `duration`, `name`, `started_at` or a metric. */
export interface ILeaderboardSort {
  key: string;
  /** `best` sorts by the metric's own goal (largest F1 first, smallest LogLoss first). */
  direction: 'best' | 'asc' | 'desc';
}

/** The value a candidate sorts by for `key`. */
export function candidateSortValue(
  c: Candidate,
  key: string
): string | number | null {
  switch (key) {
    case 'objective':
      return c.objective_value ?? null;
    case 'duration':
      return c.duration_seconds ?? null;
    case 'name':
      return c.name;
    case 'algorithm':
      return c.algorithm;
    case 'status':
      return c.status;
    case 'rank':
      return c.rank ?? null;
    case 'started_at':
      return c.started_at ? Date.parse(c.started_at) : null;
    default: {
      const value = c.metrics?.[key];
      return typeof value === 'number' ? value : null;
    }
  }
}

/** Whether larger is better for a leaderboard column. */
export function columnMaximized(
  key: string,
  objectiveMetric: string | null | undefined
): boolean {
  if (key === 'objective') {
    return isMaximized(objectiveMetric);
  }
  if (
    key === 'duration' ||
    key === 'rank' ||
    key === 'name' ||
    key === 'algorithm' ||
    key === 'status'
  ) {
    return false;
  }
  if (key === 'started_at') {
    return true;
  }
  return isMaximized(key);
}

/**
 * Sort the leaderboard: candidates without a value (running, failed) go last,
 * running ones before failed ones; never mutates `list`. The best order on the
 * objective lists the delivered model (`is_best`, rank 1) first, as the server
 * ranks it: its score (out of fold on every row, for a bagged model) can be
 * below validation-split scores that are partly there by chance.
 */
export function sortCandidates(
  list: readonly Candidate[],
  sort: ILeaderboardSort,
  objectiveMetric: string | null | undefined
): Candidate[] {
  const descending =
    sort.direction === 'best'
      ? columnMaximized(sort.key, objectiveMetric)
      : sort.direction === 'desc';
  const direction = descending ? -1 : 1;
  const statusRank = (c: Candidate) =>
    c.status === 'InProgress' ? 0 : c.status === 'Completed' ? 1 : 2;
  const sorted = sortByKey(
    list,
    c => candidateSortValue(c, sort.key),
    direction,
    { bothMissing: (a, b) => statusRank(a) - statusRank(b) }
  );
  if (sort.key !== 'objective' || sort.direction !== 'best') {
    return sorted;
  }
  const delivered = sorted.filter(
    c => c.is_best && candidateSortValue(c, 'objective') !== null
  );
  return [...delivered, ...sorted.filter(c => !delivered.includes(c))];
}

/** The next sort when a column header is activated: best -> reversed -> best... */
export function toggleSort(
  current: ILeaderboardSort,
  key: string,
  objectiveMetric?: string | null
): ILeaderboardSort {
  if (current.key !== key) {
    return { key, direction: 'best' };
  }
  const descending =
    current.direction === 'best'
      ? columnMaximized(key, objectiveMetric)
      : current.direction === 'desc';
  return { key, direction: descending ? 'asc' : 'desc' };
}

/** `aria-sort` of a column header. */
export function ariaSort(
  current: ILeaderboardSort,
  key: string,
  objectiveMetric?: string | null
): 'ascending' | 'descending' | 'none' {
  if (current.key !== key) {
    return 'none';
  }
  const descending =
    current.direction === 'best'
      ? columnMaximized(key, objectiveMetric)
      : current.direction === 'desc';
  return descending ? 'descending' : 'ascending';
}

/** Metric names present on any candidate, objective first, then alphabetical. */
export function metricColumns(
  list: readonly Candidate[],
  objective?: string | null
): string[] {
  const names = new Set<string>();
  for (const c of list) {
    for (const key of Object.keys(c.metrics ?? {})) {
      names.add(key);
    }
  }
  if (objective) {
    names.delete(objective);
  }
  return Array.from(names).sort((a, b) => a.localeCompare(b));
}

/** The best candidate: the one the server marks, else the top-ranked one. */
export function bestCandidate<T extends Pick<Candidate, 'is_best' | 'rank'>>(
  list: readonly T[]
): T | undefined {
  return list.find(c => c.is_best) ?? list.find(c => c.rank === 1);
}

/** A value to sort by; null is "missing" and sorts last in either order. */
export type SortValue = string | number | null;

/**
 * The one comparison every list sorts with: missing values last in either
 * order, numbers before text, text by locale (`numericText`: "2" before "10").
 */
export function compareValues(
  a: SortValue,
  b: SortValue,
  direction: 1 | -1,
  numericText = false
): number {
  if (a === null || b === null) {
    return a === b ? 0 : a === null ? 1 : -1;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    return (a - b) * direction;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    return (
      a.localeCompare(
        b,
        undefined,
        numericText ? { numeric: true } : undefined
      ) * direction
    );
  }
  return typeof a === 'number' ? -1 : 1;
}

/**
 * Sort by a key computed once per item with `compareValues`; stable; never
 * mutates `list`. `bothMissing` orders two items that both lack a value.
 */
export function sortByKey<T>(
  list: readonly T[],
  key: (item: T) => SortValue,
  direction: 1 | -1,
  options: {
    numericText?: boolean;
    bothMissing?: (a: T, b: T) => number;
  } = {}
): T[] {
  return list
    .map((item, index) => ({ item, index, value: key(item) }))
    .sort(
      (a, b) =>
        (a.value === null && b.value === null && options.bothMissing
          ? options.bothMissing(a.item, b.item)
          : compareValues(a.value, b.value, direction, options.numericText)) ||
        a.index - b.index
    )
    .map(entry => entry.item);
}
