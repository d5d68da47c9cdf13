/**
 * The sortable trials table with a selection column.
 */
import * as React from 'react';

import type { Trial } from '../api/types';
import { TrainingRowsTag } from '../common/TrainingRowsTag';
import {
  breakCamelCase,
  Spinner,
  StatusBadge,
  useTrans
} from '../common/components';
import {
  formatDateTime,
  formatDuration,
  formatMetric,
  formatRelativeTime
} from '../format';
import { hyperparameterText, ITrialColumn, metricValue } from './columns';
import { ITrialsSort, trialsAriaSort } from './filtering';
import { fieldLabel, trialStatusLabel } from './labels';
import { trialKey } from './trial';

/** The trials as rows, the columns sortable, with a selection column. */
export function TrialsTable(props: {
  rows: Trial[];
  columns: ITrialColumn[];
  sort: ITrialsSort;
  onSort: (column: string) => void;
  best: ReadonlySet<string>;
  selected: ReadonlySet<string>;
  onToggle: (key: string, on: boolean) => void;
  allSelected: boolean;
  someSelected: boolean;
  onToggleAll: (on: boolean) => void;
  onOpenExperiment: (name: string) => void;
}): JSX.Element {
  const trans = useTrans();
  const selectAll = React.useRef<HTMLInputElement>(null);
  React.useEffect(() => {
    if (selectAll.current) {
      selectAll.current.indeterminate =
        props.someSelected && !props.allSelected;
    }
  }, [props.someSelected, props.allSelected]);

  const header = (column: ITrialColumn) => {
    const label =
      column.kind === 'field' ? fieldLabel(column.name, trans) : column.name;
    const sorted = trialsAriaSort(props.sort, column.id);
    return (
      <th
        key={column.id}
        scope="col"
        aria-sort={sorted}
        className={[
          column.numeric ? 'jp-mod-numeric' : '',
          column.kind === 'hyperparameter' ? 'jp-AutopilotTrials-hp' : '',
          column.kind === 'metric' ? 'jp-AutopilotTrials-metric' : ''
        ].join(' ')}
        data-column={column.id}
        title={
          column.kind === 'hyperparameter'
            ? trans.__('Hyperparameter %1', column.name)
            : column.kind === 'metric'
              ? trans.__('Validation metric %1', column.name)
              : undefined
        }
      >
        <button
          className="jp-Autopilot-sortButton"
          onClick={() => props.onSort(column.id)}
          aria-label={label}
        >
          {breakCamelCase(label)}
          <span className="jp-Autopilot-sortMark" aria-hidden="true">
            {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : ''}
          </span>
        </button>
      </th>
    );
  };

  const cell = (t: Trial, column: ITrialColumn, key: string) => {
    switch (column.id) {
      case 'name':
        return (
          <th scope="row" key={column.id}>
            <button
              className="jp-Autopilot-linkButton"
              onClick={() => props.onOpenExperiment(t.experiment)}
              title={trans.__('Open experiment %1', t.experiment)}
            >
              {t.name}
            </button>
            <TrainingRowsTag hyperparameters={t.hyperparameters} />
            {props.best.has(key) && (
              <span
                className="jp-Autopilot-bestMark"
                title={trans.__('Best trial of %1', t.experiment)}
              >
                ★ {trans.__('Best')}
              </span>
            )}
          </th>
        );
      case 'experiment':
        return <td key={column.id}>{t.experiment}</td>;
      case 'status':
        return (
          <td key={column.id}>
            {t.status === 'InProgress' && <Spinner />}
            <StatusBadge
              status={t.status}
              label={trialStatusLabel(t.status, trans)}
              title={t.failure_reason ?? undefined}
            />
          </td>
        );
      case 'algorithm':
        return <td key={column.id}>{t.algorithm}</td>;
      case 'objective':
        return (
          <td
            key={column.id}
            className="jp-mod-numeric jp-Autopilot-objectiveCell"
          >
            {t.objective_metric && (
              <span className="jp-AutopilotTrials-metricName">
                {t.objective_metric}{' '}
              </span>
            )}
            {formatMetric(t.objective_value)}
          </td>
        );
      case 'started_at':
        return (
          <td key={column.id} title={formatDateTime(t.started_at)}>
            {formatRelativeTime(t.started_at, Date.now(), trans)}
          </td>
        );
      case 'duration':
        return (
          <td key={column.id} className="jp-mod-numeric">
            {t.status !== 'InProgress'
              ? formatDuration(t.duration_seconds)
              : ''}
          </td>
        );
    }
    if (column.kind === 'metric') {
      const value = metricValue(t, column.name);
      return (
        <td
          key={column.id}
          className={`jp-mod-numeric${value === null ? ' jp-AutopilotTrials-none' : ''}`}
        >
          {formatMetric(value)}
        </td>
      );
    }
    const text = hyperparameterText(t, column.name);
    return (
      <td
        key={column.id}
        className={`jp-AutopilotTrials-hpValue${text ? '' : ' jp-AutopilotTrials-none'}`}
        title={text.length > 24 ? text : undefined}
      >
        {text || '–'}
      </td>
    );
  };

  return (
    <div className="jp-Autopilot-tableScroll jp-AutopilotTrials-tableScroll">
      <table
        className="jp-Autopilot-table jp-AutopilotTrials-table"
        aria-label={trans.__('Trials of all experiments')}
      >
        <thead>
          <tr>
            <th scope="col" className="jp-AutopilotTrials-check">
              <input
                ref={selectAll}
                type="checkbox"
                aria-label={trans.__('Select all listed trials')}
                checked={props.allSelected}
                onChange={e => props.onToggleAll(e.target.checked)}
              />
            </th>
            {props.columns.map(header)}
          </tr>
        </thead>
        <tbody>
          {props.rows.map(t => {
            const key = trialKey(t);
            const selected = props.selected.has(key);
            return (
              <tr
                key={key}
                data-trial={key}
                data-experiment={t.experiment}
                aria-selected={selected}
                className={[
                  selected ? 'jp-mod-selected' : '',
                  props.best.has(key) ? 'jp-mod-best' : '',
                  t.status === 'InProgress' ? 'jp-mod-running' : ''
                ].join(' ')}
              >
                <td className="jp-AutopilotTrials-check">
                  <input
                    type="checkbox"
                    aria-label={trans.__(
                      'Select %1 of %2',
                      t.name,
                      t.experiment
                    )}
                    checked={selected}
                    onChange={e => props.onToggle(key, e.target.checked)}
                  />
                </td>
                {props.columns.map(column => cell(t, column, key))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
