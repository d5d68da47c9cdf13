import * as React from 'react';

import type { Candidate } from '../api/types';
import {
  breakCamelCase,
  RowSelectButton,
  Spinner,
  StatusBadge,
  useTrans
} from '../common/components';
import { TrainingRowsTag } from '../common/TrainingRowsTag';
import { formatDuration, formatMetric } from '../format';
import {
  ariaSort,
  ILeaderboardSort,
  metricColumns,
  sortCandidates,
  toggleSort
} from '../logic/sorting';
import { trainingRuleTitle } from './TrainingInsight';

/** How many metric columns besides the objective fit comfortably. */
const MAX_METRIC_COLUMNS = 6;

/**
 * The trials leaderboard: every candidate with its objective and metrics,
 * sortable by any column (keyboard: the header buttons), best marked, running
 * trials shown live. Selecting a row shows its details.
 */
export function Leaderboard(props: {
  candidates: readonly Candidate[];
  objectiveMetric: string | null;
  selected: string | null;
  onSelect: (name: string) => void;
}): JSX.Element {
  const trans = useTrans();
  const [sort, setSort] = React.useState<ILeaderboardSort>({
    key: 'objective',
    direction: 'best'
  });
  const objective = props.objectiveMetric;
  const metrics = React.useMemo(
    () =>
      metricColumns(props.candidates, objective).slice(0, MAX_METRIC_COLUMNS),
    [props.candidates, objective]
  );
  const rows = React.useMemo(
    () => sortCandidates(props.candidates, sort, objective),
    [props.candidates, sort, objective]
  );

  const header = (key: string, label: string, numeric = false) => (
    <th
      scope="col"
      aria-sort={ariaSort(sort, key, objective)}
      className={numeric ? 'jp-mod-numeric' : undefined}
    >
      <button
        className="jp-Autopilot-sortButton"
        onClick={() => setSort(s => toggleSort(s, key, objective))}
        title={trans.__('Sort by %1', label)}
        aria-label={label}
      >
        {breakCamelCase(label)}
        <span className="jp-Autopilot-sortMark" aria-hidden="true">
          {ariaSort(sort, key, objective) === 'ascending'
            ? '▲'
            : ariaSort(sort, key, objective) === 'descending'
              ? '▼'
              : ''}
        </span>
      </button>
    </th>
  );

  return (
    <div className="jp-Autopilot-tableScroll">
      <table
        className="jp-Autopilot-table jp-Autopilot-leaderboard"
        aria-label={trans.__('Trials leaderboard')}
      >
        <thead>
          <tr>
            {header('rank', trans.__('Rank'), true)}
            {header('name', trans.__('Trial'))}
            {header('algorithm', trans.__('Algorithm'))}
            {header('status', trans.__('Status'))}
            {header(
              'objective',
              objective
                ? trans.__('%1 (objective)', objective)
                : trans.__('Objective'),
              true
            )}
            {metrics.map(m => (
              <React.Fragment key={m}>{header(m, m, true)}</React.Fragment>
            ))}
            {header('duration', trans.__('Duration'), true)}
          </tr>
        </thead>
        <tbody>
          {rows.map(c => {
            const selected = c.name === props.selected;
            return (
              <tr
                key={c.name}
                className={[
                  selected ? 'jp-mod-selected' : '',
                  c.is_best ? 'jp-mod-best' : '',
                  c.status === 'InProgress' ? 'jp-mod-running' : ''
                ].join(' ')}
                aria-selected={selected}
                data-candidate={c.name}
                onClick={() => props.onSelect(c.name)}
              >
                <td className="jp-mod-numeric">{c.rank ?? '–'}</td>
                <th scope="row">
                  <RowSelectButton
                    selected={selected}
                    onSelect={() => props.onSelect(c.name)}
                  >
                    {c.name}
                  </RowSelectButton>
                  <TrainingRowsTag hyperparameters={c.hyperparameters} />
                  {c.is_best && (
                    <span
                      className="jp-Autopilot-bestMark"
                      title={trans.__('Best candidate')}
                    >
                      ★ {trans.__('Best')}
                    </span>
                  )}
                  {!!c.training_flags?.length && (
                    <span
                      className="jp-Autopilot-hintWarning"
                      data-flags={c.training_flags.join(' ')}
                      title={trans.__(
                        'Training insight: %1 (see the candidate details)',
                        c.training_flags
                          .map(f => trainingRuleTitle(f, trans))
                          .join(', ')
                      )}
                      aria-label={trans.__(
                        'Training warnings: %1',
                        c.training_flags
                          .map(f => trainingRuleTitle(f, trans))
                          .join(', ')
                      )}
                    >
                      ⚠
                    </span>
                  )}
                </th>
                <td>{c.algorithm}</td>
                <td>
                  {c.status === 'InProgress' && <Spinner />}
                  <StatusBadge
                    status={c.status}
                    label={
                      c.status === 'InProgress'
                        ? trans.__('Training')
                        : c.status
                    }
                    title={c.failure_reason ?? undefined}
                  />
                </td>
                <td className="jp-mod-numeric jp-Autopilot-objectiveCell">
                  {formatMetric(c.objective_value)}
                </td>
                {metrics.map(m => (
                  <td key={m} className="jp-mod-numeric">
                    {formatMetric(c.metrics?.[m])}
                  </td>
                ))}
                <td className="jp-mod-numeric">
                  {c.status !== 'InProgress' &&
                  c.duration_seconds !== null &&
                  c.duration_seconds !== undefined
                    ? formatDuration(c.duration_seconds)
                    : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
