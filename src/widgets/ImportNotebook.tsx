/**
 * "Re-run SageMaker Candidates Locally": a dialog that reads a SageMaker Autopilot
 * candidate-definition notebook (POST imports/sagemaker-notebook), shows its job,
 * objective and candidates with what runs differently here, asks for the training
 * data, a name and a budget, and creates an experiment whose `candidate_plan` runs
 * exactly the selected candidates. Errors stay in the dialog, next to the fields.
 */
import { Dialog, ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { ImportedCandidate, SageMakerNotebookImport } from '../api/types';
import {
  describedBy,
  ErrorMessage,
  Field,
  KeyValues,
  Loading,
  Notice,
  Spinner,
  TransContext,
  useTrans
} from '../common/components';
import { problemTypeLabel } from '../create/labels';
import { fieldErrors } from '../logic/errors';
import {
  algorithmMapping,
  defaultImportForm,
  IImportForm,
  importFormErrors,
  importSpec,
  isRunnable,
  toggleCandidate
} from '../logic/imports';
import { AutopilotModel } from '../model';

const ID = 'jp-autopilot-import';
/** ExperimentSpec fields whose server errors show under this dialog's own fields. */
const SHOWN_FIELDS = new Set([
  'input_uri',
  'name',
  'max_job_runtime_seconds',
  'candidate_plan'
]);

/**
 * A dialog whose accept button runs `onAccept` first and closes only when it
 * succeeds: a failed request leaves the dialog open with its error shown.
 */
class SubmitDialog<T> extends Dialog<T> {
  constructor(
    options: Partial<Dialog.IOptions<T>> & {
      onAccept: () => Promise<boolean>;
    }
  ) {
    super(options);
    this._buttonList = options.buttons ?? [];
    this._defaultIndex = options.defaultButton ?? this._buttonList.length - 1;
    this._onAccept = options.onAccept;
  }

  resolve(index?: number): void {
    const button = this._buttonList[index ?? this._defaultIndex];
    if (!button?.accept) {
      super.resolve(index);
      return;
    }
    if (this._pending || !this.acceptEnabled) {
      return;
    }
    this._pending = true;
    this.setBusy(true);
    this._onAccept()
      .then(
        ok => ok,
        () => false
      )
      .then(ok => {
        this._pending = false;
        this.setBusy(false);
        if (ok) {
          super.resolve(index);
        }
      });
  }

  /** Whether the accept button can be used (false while nothing can be sent). */
  get acceptEnabled(): boolean {
    return this._acceptEnabled;
  }
  set acceptEnabled(value: boolean) {
    this._acceptEnabled = value;
    this.setBusy(this._pending);
  }

  private setBusy(busy: boolean): void {
    const nodes = this.node.querySelectorAll<HTMLButtonElement>(
      '.jp-Dialog-footer .jp-mod-accept'
    );
    nodes.forEach(node => {
      node.disabled = busy || !this._acceptEnabled;
      node.setAttribute('aria-busy', busy ? 'true' : 'false');
    });
  }

  private _buttonList: ReadonlyArray<Dialog.IButton>;
  private _defaultIndex: number;
  private _onAccept: () => Promise<boolean>;
  private _pending = false;
  private _acceptEnabled = true;
}

/** Where the import stands: reading the notebook, failed, or ready to fill in. */
type LoadState = 'loading' | 'error' | 'ready';

/**
 * The dialog's body: reads the notebook, then holds the form (reported by the
 * React view at each change) and the last server error, and creates the experiment.
 */
class ImportNotebookBody extends ReactWidget {
  constructor(
    private options: {
      model: AutopilotModel;
      trans: TranslationBundle;
      path: string;
    }
  ) {
    super();
    this.addClass('jp-AutopilotDialog');
    this.addClass('jp-AutopilotImport');
  }

  /** The name of the experiment created (null until one is). */
  get created(): string | null {
    return this._created;
  }

  /** Called with whether the form can be sent, each time that changes. */
  onStateChange: ((ready: boolean) => void) | null = null;

  /** Read the notebook (and the taken experiment names, for the default name). */
  async load(): Promise<void> {
    const { client } = this.options.model;
    this.setState('loading');
    try {
      const [imported, taken] = await Promise.all([
        client.importSageMakerNotebook(this.options.path),
        client.listExperiments({ limit: 1000 }).then(
          list => list.experiments.map(e => e.name),
          () => [] as string[]
        )
      ]);
      this._imported = imported;
      this._taken = taken;
      this._form = defaultImportForm(imported, taken);
      this.setState('ready');
    } catch (error) {
      this._loadError = error;
      this.setState('error');
    }
  }

  /**
   * Create the experiment from the form; false (with the problems shown) when the
   * form is incomplete or the server refused it.
   */
  async submit(): Promise<boolean> {
    const imported = this._imported;
    const form = this._form;
    if (this._state !== 'ready' || !imported || !form) {
      return false;
    }
    const { trans, model } = this.options;
    this._attempted = true;
    const { spec } = importSpec(imported, form, trans, this._taken);
    if (!spec) {
      this.update();
      return false;
    }
    this._submitting = true;
    this._serverError = null;
    this.update();
    try {
      const experiment = await model.client.createExperiment(spec);
      this._created = experiment.name;
      model.experimentsChanged.emit(experiment.name);
      return true;
    } catch (error) {
      this._serverError = error;
      return false;
    } finally {
      this._submitting = false;
      this.update();
    }
  }

  protected render(): JSX.Element {
    const { trans, path } = this.options;
    let content: JSX.Element;
    if (this._state === 'loading') {
      content = <Loading label={trans.__('Reading %1…', path)} />;
    } else if (this._state === 'error' || !this._imported || !this._form) {
      content = (
        <ErrorMessage
          error={this._loadError}
          title={trans.__('Cannot re-run this notebook locally.')}
          onRetry={() => void this.load()}
        />
      );
    } else {
      content = (
        <ImportForm
          imported={this._imported}
          initial={this._form}
          taken={this._taken}
          attempted={this._attempted}
          submitting={this._submitting}
          serverError={this._serverError}
          onChange={form => {
            this._form = form;
          }}
        />
      );
    }
    return (
      <TransContext.Provider value={trans}>
        <div className="jp-AutopilotDialog-body" aria-busy={this._submitting}>
          {content}
        </div>
      </TransContext.Provider>
    );
  }

  private setState(state: LoadState): void {
    this._state = state;
    this.update();
    this.onStateChange?.(state === 'ready');
  }

  private _state: LoadState = 'loading';
  private _imported: SageMakerNotebookImport | null = null;
  private _loadError: unknown = null;
  private _taken: string[] = [];
  private _form: IImportForm | null = null;
  private _attempted = false;
  private _submitting = false;
  private _serverError: unknown = null;
  private _created: string | null = null;
}

/** What the notebook says: job, target, problem, objective, where column types come from. */
function ImportSummary(props: {
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
function CandidatesTable(props: {
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

/** The summary, warnings, candidates and fields of a read notebook. */
function ImportForm(props: {
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

/**
 * Read the notebook at `path`, let the user choose candidates, data, name and
 * budget, create the experiment and open it. Resolves with the experiment's name,
 * or null when cancelled (or the notebook could not be read).
 */
export async function importNotebookWithDialog(options: {
  model: AutopilotModel;
  trans: TranslationBundle;
  path: string;
  onOpenExperiment: (name: string) => void;
}): Promise<string | null> {
  const { trans } = options;
  const body = new ImportNotebookBody(options);
  const dialog = new SubmitDialog<unknown>({
    title: trans.__('Re-run SageMaker candidates locally'),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Create experiment') })
    ],
    onAccept: () => body.submit()
  });
  dialog.addClass('jp-AutopilotImportDialog');
  dialog.acceptEnabled = false;
  body.onStateChange = ready => {
    dialog.acceptEnabled = ready;
  };
  void body.load();
  void dialog.ready.then(() => {
    // Until the notebook is read there is no field: Escape and Tab start at Cancel.
    if (!dialog.node.contains(document.activeElement)) {
      dialog.node
        .querySelector<HTMLButtonElement>('.jp-Dialog-footer .jp-mod-reject')
        ?.focus();
    }
  });
  try {
    await dialog.launch();
  } finally {
    dialog.dispose();
  }
  const created = body.created;
  if (created) {
    options.onOpenExperiment(created);
  }
  return created;
}
