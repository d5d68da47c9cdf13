/**
 * The import dialog's form: what the notebook says, its candidates to run, and
 * the fields of the experiment to create.
 */
import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { SageMakerNotebookImport } from '../api/types';
import {
  describedBy,
  ErrorMessage,
  Field,
  Notice,
  Spinner,
  useTrans
} from '../common/components';
import { fieldErrors } from '../logic/errors';
import { ID, SHOWN_FIELDS } from './ids';
import { IImportForm, importFormErrors, toggleCandidate } from './imports';
import { CandidatesTable, ImportSummary } from './ImportSummary';

/** The summary, warnings, candidates and fields of a read notebook. */
export function ImportForm(props: {
  imported: SageMakerNotebookImport;
  initial: IImportForm;
  taken: string[];
  attempted: boolean;
  submitting: boolean;
  serverError: unknown;
  onChange: (form: IImportForm) => void;
}): JSX.Element {
  const trans = useTrans();
  const { imported } = props;
  const [form, setForm] = React.useState(props.initial);
  const [touched, setTouched] = React.useState<Record<string, boolean>>({});
  const errors = importFormErrors(imported, form, trans, props.taken);
  const serverFields = fieldErrors(props.serverError);
  const update = (patch: Partial<IImportForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    props.onChange(next);
  };
  const dataRef = React.useRef<HTMLInputElement>(null);
  React.useEffect(() => {
    // Start at the one field to fill, keeping the summary at the top in view.
    dataRef.current?.focus({ preventScroll: true });
  }, []);
  const touch = (field: string) => setTouched(t => ({ ...t, [field]: true }));
  const shown = (field: string): string | undefined =>
    (props.attempted || touched[field] ? errors[field] : undefined) ??
    serverFields[field];

  const dataId = `${ID}-data`;
  const nameId = `${ID}-name`;
  const runtimeId = `${ID}-runtime`;
  const dataError = shown('input_uri');
  const nameError = shown('name');
  const runtimeError = shown('max_job_runtime_seconds');
  const dataHelp = trans.__(
    'The training data as a CSV file under the Jupyter root, with the %1 column.',
    imported.target
  );
  const nameHelp = trans.__(
    '1–32 letters, digits and hyphens (SageMaker’s naming rule).'
  );
  const runtimeHelp = trans.__(
    'The whole job stops after this many seconds; empty for the default.'
  );
  const warnings = imported.warnings ?? [];
  // Server problems about fields this dialog does not show (target, metric...).
  const otherServerErrors = Object.entries(serverFields).filter(
    ([field]) => field !== '' && !SHOWN_FIELDS.has(field)
  );

  return (
    <>
      {props.serverError !== null && props.serverError !== undefined && (
        <ErrorMessage
          error={props.serverError}
          title={trans.__('The experiment was not created.')}
        />
      )}
      <ImportSummary imported={imported} />
      {warnings.length > 0 && (
        <Notice kind="warning">
          <strong>{trans.__('Warnings')}</strong>
          <ul
            className="jp-AutopilotImport-warnings"
            aria-label={trans.__('Import warnings')}
          >
            {warnings.map((warning, i) => (
              <li key={i}>{warning}</li>
            ))}
          </ul>
        </Notice>
      )}
      <CandidatesTable
        imported={imported}
        selected={form.selected}
        error={shown('candidate_plan')}
        onToggle={(name, on) => {
          touch('candidate_plan');
          update({
            selected: toggleCandidate(imported, form.selected, name, on)
          });
        }}
      />
      <Field
        id={dataId}
        label={trans.__('Training data (CSV)')}
        help={dataHelp}
        error={dataError}
        required
      >
        <InputGroup
          id={dataId}
          value={form.input_uri}
          placeholder="data/train.csv"
          inputRef={dataRef}
          aria-required={true}
          aria-invalid={dataError ? true : undefined}
          aria-describedby={describedBy(dataId, dataHelp, dataError)}
          className={dataError ? 'jp-mod-invalid' : undefined}
          onChange={e =>
            update({ input_uri: (e.target as HTMLInputElement).value })
          }
          onBlur={() => form.input_uri && touch('input_uri')}
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      <div className="jp-Autopilot-grid2">
        <Field
          id={nameId}
          label={trans.__('Experiment name')}
          help={nameHelp}
          error={nameError}
          required
        >
          <InputGroup
            id={nameId}
            value={form.name}
            aria-required={true}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={describedBy(nameId, nameHelp, nameError)}
            className={nameError ? 'jp-mod-invalid' : undefined}
            onChange={e => {
              touch('name');
              update({ name: (e.target as HTMLInputElement).value });
            }}
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
        <Field
          id={runtimeId}
          label={trans.__('Max job runtime (s)')}
          help={runtimeHelp}
          error={runtimeError}
        >
          <InputGroup
            id={runtimeId}
            value={form.max_job_runtime_seconds}
            inputMode="numeric"
            aria-invalid={runtimeError ? true : undefined}
            aria-describedby={describedBy(runtimeId, runtimeHelp, runtimeError)}
            className={runtimeError ? 'jp-mod-invalid' : undefined}
            onChange={e => {
              touch('max_job_runtime_seconds');
              update({
                max_job_runtime_seconds: (e.target as HTMLInputElement).value
              });
            }}
            autoComplete="off"
          />
        </Field>
      </div>
      {otherServerErrors.length > 0 && (
        <ul className="jp-Autopilot-fieldError jp-AutopilotImport-otherErrors">
          {otherServerErrors.map(([field, message]) => (
            <li key={field}>
              <code>{field}</code>: {message}
            </li>
          ))}
        </ul>
      )}
      <p className="jp-Autopilot-muted">
        {props.submitting ? (
          <>
            <Spinner /> {trans.__('Creating the experiment…')}
          </>
        ) : (
          trans.__(
            'The experiment runs on this Jupyter server with the selected candidates’ preprocessing and hyperparameter ranges; the notes say what differs from SageMaker.'
          )
        )}
      </p>
    </>
  );
}
