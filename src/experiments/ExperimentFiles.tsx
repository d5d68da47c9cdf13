/**
 * An experiment's notebooks, other files and settings, as the detail view lists
 * them.
 */
import { Button, notebookIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Artifact, Experiment } from '../api/types';
import { ButtonIcon, KeyValues, useTrans } from '../common/components';
import { problemTypeLabel } from '../create/labels';
import { formatDateTime, formatDuration } from '../format';
import { forecastSettings } from './forecastSettings';

/** Buttons opening the stages' notebooks. */
export function NotebookButtons(props: {
  artifacts: Artifact[] | null;
  stages: Experiment['stages'];
  onOpen: (path: string) => void;
}): JSX.Element {
  const trans = useTrans();
  const find = (kind: Artifact['kind']) =>
    props.artifacts?.find(a => a.kind === kind);
  const exploration = find('data_exploration_notebook');
  const definitions = find('candidate_definitions_notebook');
  const button = (
    artifact: Artifact | undefined,
    label: string,
    waiting: string
  ) => {
    const ready = !!(artifact?.available && artifact.path);
    return (
      <Button
        onClick={() => artifact?.path && props.onOpen(artifact.path)}
        disabled={!ready}
        title={
          ready
            ? (artifact?.path ?? undefined)
            : artifact?.available
              ? trans.__('The file is outside the Jupyter root.')
              : waiting
        }
      >
        <ButtonIcon icon={notebookIcon} />
        {label}
      </Button>
    );
  };
  return (
    <div className="jp-Autopilot-notebooks">
      {button(
        exploration,
        trans.__('Open data exploration notebook'),
        trans.__('Available once Pre-processing has run.')
      )}
      {/* A job that never writes one (a SageMaker forecasting job) does not list it. */}
      {(props.artifacts === null || definitions) &&
        button(
          definitions,
          trans.__('Open candidate definitions notebook'),
          trans.__('Available once the candidate definitions are generated.')
        )}
    </div>
  );
}

/** Files of the experiment other than the notebooks. */
export function OtherArtifacts(props: {
  artifacts: Artifact[] | null;
  onOpen: (path: string) => void;
}): JSX.Element | null {
  const trans = useTrans();
  const others = (props.artifacts ?? []).filter(
    a =>
      a.available &&
      a.kind !== 'data_exploration_notebook' &&
      a.kind !== 'candidate_definitions_notebook'
  );
  if (!others.length) {
    return null;
  }
  return (
    <ul className="jp-Autopilot-files" aria-label={trans.__('Files')}>
      {others.map(a => (
        <li key={a.kind}>
          {a.path && a.kind !== 'model' ? (
            <button
              className="jp-Autopilot-linkButton"
              onClick={() => props.onOpen(a.path as string)}
            >
              {a.title}
            </button>
          ) : (
            <span>{a.title}</span>
          )}{' '}
          <span className="jp-Autopilot-muted">{a.path ?? a.uri}</span>
        </li>
      ))}
    </ul>
  );
}

/** The experiment's settings as a list of key and value. */
export function ExperimentSettings(props: {
  experiment: Experiment;
}): JSX.Element {
  const trans = useTrans();
  const e = props.experiment;
  const s = e.spec;
  // A forecast shows its block instead of the tabular settings it leaves out.
  const tabular = !s.forecast;
  const items: Array<[string, React.ReactNode]> = [
    [trans.__('Data'), s.input_uri],
    [trans.__('Target'), s.target],
    ...(tabular
      ? ([
          [
            trans.__('Excluded columns'),
            s.exclude_columns?.length
              ? s.exclude_columns.join(', ')
              : trans.__('none')
          ],
          [trans.__('Sample weights'), s.sample_weight ?? trans.__('none')],
          [
            trans.__('Algorithms'),
            s.algorithms?.length ? s.algorithms.join(', ') : trans.__('all')
          ]
        ] as Array<[string, string]>)
      : []),
    [
      trans.__('Problem type'),
      problemTypeLabel(e.problem_type, trans) || e.problem_type
    ],
    ...forecastSettings(s, trans),
    [
      trans.__('Objective'),
      e.objective
        ? `${e.objective.metric} (${e.objective.goal})`
        : (s.objective_metric ?? trans.__('default'))
    ],
    [
      trans.__('Run'),
      s.mode === 'pilot' ? trans.__('Pilot') : trans.__('Complete')
    ],
    [
      trans.__('Max candidates'),
      e.budget?.max_candidates ?? s.max_candidates ?? '–'
    ],
    [
      trans.__('Max trial runtime'),
      formatDuration(
        e.budget?.max_trial_runtime_seconds ?? s.max_trial_runtime_seconds
      ) || '–'
    ],
    [
      trans.__('Max job runtime'),
      formatDuration(
        e.budget?.max_job_runtime_seconds ?? s.max_job_runtime_seconds
      ) || '–'
    ],
    ...(!tabular
      ? []
      : s.validation_file
        ? ([[trans.__('Validation file'), s.validation_file]] as Array<
            [string, string]
          >)
        : ([
            [
              trans.__('Validation fraction'),
              String(s.validation_fraction ?? 0.2)
            ]
          ] as Array<[string, string]>)),
    [trans.__('Created'), formatDateTime(e.created_at)],
    ...(e.ended_at
      ? ([[trans.__('Ended'), formatDateTime(e.ended_at)]] as Array<
          [string, string]
        >)
      : []),
    ...(s.tags?.length
      ? ([
          [trans.__('Tags'), s.tags.map(t => `${t.key}=${t.value}`).join(', ')]
        ] as Array<[string, string]>)
      : []),
    ...(s.output_uri
      ? ([[trans.__('Output location'), s.output_uri]] as Array<
          [string, string]
        >)
      : []),
    ...(s.role_arn
      ? ([[trans.__('IAM role'), s.role_arn]] as Array<[string, string]>)
      : []),
    ...(e.secondary_status
      ? ([[trans.__('Backend status'), e.secondary_status]] as Array<
          [string, string]
        >)
      : []),
    ...Object.entries(e.backend_details ?? {})
      // Dry-run requests and the estimate have their own section.
      .filter(
        ([k]) =>
          k !== 'dry_run' && k !== 'dry_run_requests' && k !== 'cost_estimate'
      )
      .map(([k, v]) => [k, v] as [string, string])
  ];
  return <KeyValues items={items} label={trans.__('Settings')} />;
}
