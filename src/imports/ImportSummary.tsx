/**
 * What a SageMaker candidate notebook says, and its candidates, each with a
 * checkbox to run it.
 */
import * as React from 'react';

import type { ImportedCandidate, SageMakerNotebookImport } from '../api/types';
import { KeyValues, useTrans } from '../common/components';
import { problemTypeLabel } from '../create/labels';
import { ID } from './ids';
import { algorithmMapping, isRunnable } from './imports';

/** What the notebook says: job, target, problem, objective, where column types come from. */
export function ImportSummary(props: {
  imported: SageMakerNotebookImport;
}): JSX.Element {
  const trans = useTrans();
  const { imported } = props;
  const objective = imported.objective_metric
    ? trans.__(
        '%1 (SageMaker metric: %2)',
        imported.objective_metric,
        imported.sagemaker_metric ?? imported.objective_metric
      )
    : imported.sagemaker_metric
      ? trans.__(
          'The default for the problem type (SageMaker metric %1 has no local equivalent)',
          imported.sagemaker_metric
        )
      : trans.__('The default for the problem type');
  const items: Array<[React.ReactNode, React.ReactNode]> = [
    [trans.__('Notebook'), <code key="path">{imported.path}</code>],
    [trans.__('SageMaker job'), imported.job_name],
    [
      trans.__('Target'),
      imported.n_columns
        ? trans.__('%1 (of %2 columns)', imported.target, imported.n_columns)
        : imported.target
    ],
    [
      trans.__('Problem type'),
      problemTypeLabel(imported.problem_type, trans) || imported.problem_type
    ],
    [trans.__('Objective'), objective],
    [
      trans.__('Generated modules'),
      imported.generated_module ? (
        <span data-testid="generated-module">
          {trans.__(
            'Found in %1: their column types are used.',
            imported.generated_module
          )}
        </span>
      ) : (
        <span data-testid="generated-module" className="jp-Autopilot-muted">
          {trans.__(
            'Not found next to the notebook: column types are inferred from the data.'
          )}
        </span>
      )
    ]
  ];
  if (imported.data_location) {
    items.push([
      trans.__('Job location on S3'),
      <code key="data">{imported.data_location}</code>
    ]);
  }
  return <KeyValues items={items} label={trans.__('Imported notebook')} />;
}

/** The candidates of the notebook, each with a checkbox to run it. */
export function CandidatesTable(props: {
  imported: SageMakerNotebookImport;
  selected: string[];
  error?: string;
  onToggle: (name: string, on: boolean) => void;
}): JSX.Element {
  const trans = useTrans();
  const { imported, selected } = props;
  const errorId = `${ID}-candidates-error`;
  return (
    <fieldset
      className={`jp-Autopilot-fieldset jp-AutopilotImport-candidates${
        props.error ? ' jp-mod-invalid' : ''
      }`}
    >
      <legend>{trans.__('Candidates')}</legend>
      <div className="jp-AutopilotImport-tableScroll">
        <table
          className="jp-AutopilotImport-table"
          aria-label={trans.__('Candidates of the notebook')}
          aria-describedby={props.error ? errorId : undefined}
        >
          <thead>
            <tr>
              <th scope="col">{trans.__('Run')}</th>
              <th scope="col">{trans.__('Candidate')}</th>
              <th scope="col">{trans.__('Algorithm (SageMaker → local)')}</th>
              <th scope="col">{trans.__('Transformers')}</th>
              <th scope="col">{trans.__('Differences when run locally')}</th>
            </tr>
          </thead>
          <tbody>
            {imported.candidates.map(candidate => (
              <CandidateRow
                key={candidate.name}
                candidate={candidate}
                runnable={isRunnable(imported, candidate)}
                checked={selected.includes(candidate.name)}
                onToggle={on => props.onToggle(candidate.name, on)}
              />
            ))}
          </tbody>
        </table>
      </div>
      <div id={errorId} className="jp-Autopilot-fieldError" aria-live="polite">
        {props.error ?? ''}
      </div>
    </fieldset>
  );
}

function CandidateRow(props: {
  candidate: ImportedCandidate;
  runnable: boolean;
  checked: boolean;
  onToggle: (on: boolean) => void;
}): JSX.Element {
  const trans = useTrans();
  const { candidate, runnable } = props;
  const notes = candidate.notes ?? [];
  const transformers = candidate.transformers ?? [];
  return (
    <tr
      data-candidate={candidate.name}
      className={runnable ? undefined : 'jp-mod-dimmed'}
    >
      <td>
        <input
          type="checkbox"
          aria-label={trans.__('Run %1', candidate.name)}
          checked={runnable && props.checked}
          disabled={!runnable}
          title={
            runnable
              ? undefined
              : trans.__('%1 has no local equivalent.', candidate.algorithm)
          }
          onChange={e => props.onToggle(e.target.checked)}
        />
      </td>
      <th scope="row" title={candidate.description || undefined}>
        {candidate.name}
      </th>
      <td className="jp-AutopilotImport-algorithm">
        {algorithmMapping(candidate, trans)}
      </td>
      <td>
        {transformers.length ? (
          transformers.join(', ')
        ) : (
          <span className="jp-Autopilot-muted">–</span>
        )}
      </td>
      <td>
        {notes.length ? (
          <ul className="jp-AutopilotImport-notes">
            {notes.map((note, i) => (
              <li key={i}>{note}</li>
            ))}
          </ul>
        ) : (
          <span className="jp-Autopilot-muted">{trans.__('None')}</span>
        )}
      </td>
    </tr>
  );
}
