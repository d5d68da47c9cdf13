/**
 * Loading the trials of every experiment: which experiments to reload while polling,
 * merging a partial reload, and the metric and hyperparameter names present.
 */
import type { ExperimentSummary, Trial, TrialList } from '../api/types';
import { isExperimentActive } from '../logic/status';

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
export function sortedNames(names: Iterable<string>): string[] {
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

/** Trials asked for in one request (the API's maximum). */
export const MAX_TRIALS = 10000;

/** What the view knows: the experiments and the trials of all of them. */
export interface ITrialsData {
  experiments: ExperimentSummary[] | null;
  trials: Trial[] | null;
  /** The server had more trials than one request returns. */
  truncated: boolean;
  error: unknown;
}
