/**
 * The trials table's filters and sort (with logic/sorting's comparison), and the
 * best trial of each experiment.
 */
import type { CandidateStatus, ExperimentSummary, Trial } from '../api/types';
import { isMaximized } from '../logic/metrics';
import { bestCandidate, sortByKey } from '../logic/sorting';
import { STATUS_ORDER, trialSortValue } from './columns';
import { sortedNames } from './loading';
import { objectiveMaximized, trialKey } from './trial';

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

/** The candidate statuses a trial can have, in filter order. */
export const TRIAL_STATUSES = [
  'InProgress',
  'Completed',
  'Failed',
  'Stopped',
  'Pruned'
] as const;
