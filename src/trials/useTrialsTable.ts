/**
 * The trials table's view state: filters, sort, paging and which columns show,
 * and what follows from them over the loaded trials (pure functions beside).
 */
import * as React from 'react';

import type { ExperimentSummary, Trial } from '../api/types';
import { trialColumns } from './columns';
import {
  bestTrialKeys,
  DEFAULT_TRIALS_FILTER,
  DEFAULT_TRIALS_SORT,
  filterChoices,
  filterTrials,
  ITrialsFilter,
  ITrialsSort,
  nextTrialsSort,
  sortTrials
} from './filtering';
import { trialNames } from './loading';

/** Rows rendered at first, and added by "Show more" (large tables stay fast). */
export const PAGE_SIZE = 200;

/** The table's state over `all` trials of `experiments`. */
export function useTrialsTable(
  all: readonly Trial[],
  experiments: readonly ExperimentSummary[]
) {
  const [filter, setFilter] = React.useState<ITrialsFilter>(
    DEFAULT_TRIALS_FILTER
  );
  const [sort, setSort] = React.useState<ITrialsSort>(DEFAULT_TRIALS_SORT);
  const [showHyperparameters, setShowHyperparameters] = React.useState(true);
  const [shown, setShown] = React.useState(PAGE_SIZE);

  const choices = React.useMemo(
    () => filterChoices(all, experiments),
    [all, experiments]
  );
  const filtered = React.useMemo(
    () => filterTrials(all, filter),
    [all, filter]
  );
  const rows = React.useMemo(
    () => sortTrials(filtered, sort),
    [filtered, sort]
  );
  const columns = React.useMemo(() => {
    const names = trialNames(filtered);
    return trialColumns({
      metric_names: names.metric_names,
      hyperparameter_names: showHyperparameters
        ? names.hyperparameter_names
        : []
    });
  }, [filtered, showHyperparameters]);
  const best = React.useMemo(() => bestTrialKeys(all), [all]);

  /** Change filters (back to the first page). */
  const updateFilter = (patch: Partial<ITrialsFilter>) => {
    setFilter(f => ({ ...f, ...patch }));
    setShown(PAGE_SIZE);
  };
  return {
    filter,
    updateFilter,
    sort,
    sortBy: (column: string) =>
      setSort(s => nextTrialsSort(s, column, filtered)),
    showHyperparameters,
    setShowHyperparameters,
    shown,
    showMore: () => setShown(n => n + PAGE_SIZE),
    choices,
    filtered,
    rows,
    columns,
    best
  };
}
