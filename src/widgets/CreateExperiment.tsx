import { ReactWidget } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  addIcon,
  Button,
  closeIcon,
  fileUploadIcon,
  folderIcon,
  HTMLSelect,
  InputGroup
} from '@jupyterlab/ui-components';
import * as React from 'react';

import type {
  ColumnSummary,
  DatasetPreview,
  DataWarning,
  ExperimentSpec,
  Health,
  ObjectiveMetric,
  ProblemType,
  SampleDataset
} from '../api/types';
import {
  ButtonIcon,
  describedBy,
  ErrorMessage,
  Field,
  Loading,
  Notice,
  Spinner,
  TransContext,
  TRANSLATION_DOMAIN,
  useTrans
} from '../common/components';
import {
  delimiterName,
  PreviewSummary,
  PreviewTable,
  TypeTag
} from '../common/PreviewTable';
import { CheckStatus, DataChecks } from '../components/DataChecks';
import { formatDuration, formatPercent } from '../format';
import {
  actionableWarnings,
  CHECK_DEBOUNCE_MS,
  checkErrors,
  checkFailure,
  checkRequest,
  ICheckOutcome,
  ICheckRequest,
  isCacheable,
  otherWarnings,
  warningLabel
} from '../logic/checks';
import { fieldErrors, isNotImplemented } from '../logic/errors';
import { suggestExperimentName } from '../logic/names';
import { initialStep, licenseLabel } from '../logic/samples';
import {
  buildSpec,
  columnHints,
  defaultMetric,
  emptyForm,
  errorsOfStep,
  FIELD_STEP,
  firstStepWithErrors,
  FormErrors,
  FormField,
  formFromSpec,
  guessProblemType,
  IExperimentForm,
  IValidationContext,
  Step,
  STEPS,
  validateForm
} from '../logic/validation';
import { AutopilotModel, IAutopilotActions } from '../model';

/**
 * The create-experiment wizard (main area): data, target and columns,
 * settings, review.
 */
export class CreateExperimentWidget extends ReactWidget {
  constructor(options: CreateExperimentWidget.IOptions) {
    super();
    this.options = options;
    this.addClass('jp-AutopilotCreate');
    this.addClass('jp-Autopilot-view');
  }

  protected render(): JSX.Element {
    const trans = (this.options.translator ?? nullTranslator).load(
      TRANSLATION_DOMAIN
    );
    return (
      <TransContext.Provider value={trans}>
        <CreateWizard
          model={this.options.model}
          actions={this.options.actions}
          initialPath={this.options.path}
          initialTarget={this.options.target}
          sample={this.options.sample}
          initialSpec={this.options.spec}
          onDone={() => this.options.onDone?.()}
        />
      </TransContext.Provider>
    );
  }

  private options: CreateExperimentWidget.IOptions;
}

export namespace CreateExperimentWidget {
  export interface IOptions {
    model: AutopilotModel;
    actions: IAutopilotActions;
    translator?: ITranslator;
    /** Preselected data file (from the file browser's context menu). */
    path?: string;
    /**
     * Preselected target column; with `path`, the wizard opens on "Target and
     * columns" (on S3 backends on "Data", to upload the file first).
     */
    target?: string;
    /** The shipped sample `path` is a copy of ("Try the tutorial"): its credit is shown. */
    sample?: SampleDataset;
    /** A spec to start from (re-create with changes). */
    spec?: ExperimentSpec;
    /** Called after the experiment was created or the user cancelled. */
    onDone?: () => void;
  }
}

const PROBLEM_TYPES: ProblemType[] = [
  'auto',
  'binary',
  'multiclass',
  'regression'
];

function useStepTitles(): Record<Step, string> {
  const trans = useTrans();
  return {
    data: trans.__('Data'),
    target: trans.__('Target and columns'),
    settings: trans.__('Settings'),
    review: trans.__('Review and create')
  };
}

/** A problem type as users read it (also used by the notebook import dialog). */
export function problemTypeLabel(
  type: ProblemType | null,
  trans: { __: (s: string) => string }
): string {
  switch (type) {
    case 'binary':
      return trans.__('Binary classification');
    case 'multiclass':
      return trans.__('Multiclass classification');
    case 'regression':
      return trans.__('Regression');
    case 'auto':
      return trans.__('Auto-detect');
    default:
      return '';
  }
}

interface IWizardProps {
  model: AutopilotModel;
  actions: IAutopilotActions;
  initialPath?: string;
  initialTarget?: string;
  sample?: SampleDataset;
  initialSpec?: ExperimentSpec;
  onDone: () => void;
}

function CreateWizard(props: IWizardProps): JSX.Element {
  const trans = useTrans();
  const titles = useStepTitles();
  const { model, actions } = props;
  const [health, setHealth] = React.useState<Health | null>(model.healthValue);
  const [healthError, setHealthError] = React.useState<unknown>(null);
  const [form, setForm] = React.useState<IExperimentForm>(() =>
    props.initialSpec
      ? formFromSpec(props.initialSpec)
      : emptyForm({
          input_uri: props.initialPath ?? '',
          target: props.initialTarget ?? ''
        })
  );
  const startStep = (known: Health | null): Step =>
    props.initialSpec
      ? 'review'
      : initialStep(
          { path: props.initialPath, target: props.initialTarget },
          !!known?.features.s3
        );
  const [step, setStep] = React.useState<Step>(() =>
    startStep(model.healthValue)
  );
  const stepKnown = React.useRef(model.healthValue !== null);
  const [touched, setTouched] = React.useState<Set<string>>(new Set());
  const [attempted, setAttempted] = React.useState<Set<Step>>(
    new Set(props.initialSpec ? STEPS : [])
  );
  const [preview, setPreview] = React.useState<DatasetPreview | null>(null);
  const [previewUri, setPreviewUri] = React.useState<string>('');
  const [previewError, setPreviewError] = React.useState<unknown>(null);
  const [previewing, setPreviewing] = React.useState(false);
  const [serverErrors, setServerErrors] = React.useState<FormErrors>({});
  const [createError, setCreateError] = React.useState<unknown>(null);
  const [creating, setCreating] = React.useState(false);
  const [takenNames, setTakenNames] = React.useState<string[]>([]);
  const [check, setCheck] = React.useState<ICheckOutcome | null>(null);
  const [checking, setChecking] = React.useState(false);
  const [checksUnsupported, setChecksUnsupported] = React.useState(false);
  const checkCache = React.useRef(new Map<string, ICheckOutcome>());
  const checkSeq = React.useRef(0);
  const headingRef = React.useRef<HTMLHeadingElement>(null);
  const previewSeq = React.useRef(0);

  React.useEffect(() => {
    model.health().then(setHealth, setHealthError);
    model.client.listExperiments({ limit: 1000 }).then(
      list => setTakenNames(list.experiments.map(e => e.name)),
      () => undefined
    );
  }, []);

  const s3 = !!health?.features.s3;
  const metricsByProblemType = (health?.defaults.metrics_by_problem_type ??
    {}) as Partial<Record<ProblemType, ObjectiveMetric[]>>;
  const context: IValidationContext = {
    columns:
      preview && previewUri === form.input_uri.trim()
        ? preview.columns.map(c => c.name)
        : null,
    s3,
    metricsByProblemType,
    takenNames
  };
  const clientErrors = React.useMemo(
    () => validateForm(form, context, trans),
    [form, preview, previewUri, s3, health, takenNames]
  );

  // Server checks (validation/experiment) -------------------------------------------
  // At the target step (debounced, as target and columns change) and the review
  // step: leakage warnings before the run, and whether the name is free.
  const request = React.useMemo(
    () => checkRequest(form, context, clientErrors),
    [clientErrors]
  );
  const requestKey = request?.key ?? '';
  const unsupported =
    checksUnsupported || model.notImplemented('validate_experiment');
  const checkStep = step === 'target' || step === 'review';
  const runCheck = async (req: ICheckRequest) => {
    const seq = ++checkSeq.current;
    setChecking(true);
    const outcome: ICheckOutcome = {
      key: req.key,
      nameChecked: req.nameChecked,
      name: req.spec.name,
      result: null,
      error: null
    };
    try {
      outcome.result = await model.client.validateExperiment(req.spec);
    } catch (error) {
      if (isNotImplemented(error)) {
        setChecksUnsupported(true);
      }
      outcome.error = error;
    }
    if (isCacheable(outcome)) {
      checkCache.current.set(req.key, outcome);
    }
    if (seq === checkSeq.current) {
      setCheck(outcome);
      setChecking(false);
    }
  };
  React.useEffect(() => {
    if (!checkStep || !request || unsupported) {
      return;
    }
    const cached = checkCache.current.get(request.key);
    if (cached) {
      checkSeq.current++;
      setCheck(cached);
      setChecking(false);
      return;
    }
    setChecking(true);
    let fired = false;
    const timer = window.setTimeout(
      () => {
        fired = true;
        void runCheck(request);
      },
      step === 'review' ? 0 : CHECK_DEBOUNCE_MS
    );
    return () => {
      window.clearTimeout(timer);
      if (!fired) {
        setChecking(false);
      }
    };
  }, [checkStep, requestKey, unsupported]);
  const checkErrs = React.useMemo(
    () => checkErrors(check, requestKey, trans),
    [check, requestKey]
  );

  const update = (patch: Partial<IExperimentForm>) => {
    setForm(f => ({ ...f, ...patch }));
    const cleared = Object.keys(patch);
    if (cleared.some(k => serverErrors[k as FormField])) {
      setServerErrors(errors => {
        const copy = { ...errors };
        for (const key of cleared) {
          delete copy[key as FormField];
          if (key.startsWith('vpc_')) {
            delete copy.vpc_config;
          }
        }
        return copy;
      });
    }
  };
  const touch = (field: string) =>
    setTouched(t => (t.has(field) ? t : new Set(t).add(field)));

  /** The message to show next to a field: server's first, then client's once touched. */
  const errorOf = (field: FormField): string | undefined => {
    if (serverErrors[field]) {
      return serverErrors[field];
    }
    if (checkErrs[field]) {
      return checkErrs[field];
    }
    const step = FIELD_STEP[field] ?? 'review';
    if (touched.has(field) || attempted.has(step)) {
      return clientErrors[field];
    }
    return undefined;
  };

  // Preview -------------------------------------------------------------------------
  const runPreview = async (uri: string, delimiter: string) => {
    const target = uri.trim();
    if (!target) {
      return;
    }
    const seq = ++previewSeq.current;
    setPreviewing(true);
    setPreviewError(null);
    try {
      const result = await model.client.previewDataset({
        uri: target,
        rows: 10,
        delimiter: delimiter || null
      });
      if (seq !== previewSeq.current) {
        return;
      }
      setPreview(result);
      setPreviewUri(target);
      setForm(f => {
        const names = result.columns.map(c => c.name);
        const patch: Partial<IExperimentForm> = {};
        if (f.target && !names.includes(f.target)) {
          patch.target = '';
        }
        patch.exclude_columns = f.exclude_columns.filter(c =>
          names.includes(c)
        );
        if (!f.name) {
          patch.name = suggestExperimentName(target, takenNames);
        }
        return { ...f, ...patch };
      });
    } catch (error) {
      if (seq !== previewSeq.current) {
        return;
      }
      setPreview(null);
      setPreviewUri('');
      setPreviewError(error);
    } finally {
      if (seq === previewSeq.current) {
        setPreviewing(false);
      }
    }
  };

  React.useEffect(() => {
    if (form.input_uri && health) {
      void runPreview(form.input_uri, form.delimiter);
    }
    if (health && !stepKnown.current) {
      // Opened before the first health answer: the backend decides the first step.
      stepKnown.current = true;
      setStep(startStep(health));
    }
    // Preview the initial file once health is known.
  }, [health !== null]);

  // Steps -----------------------------------------------------------------------------
  const stepIndex = STEPS.indexOf(step);
  const goTo = (next: Step) => {
    setStep(next);
    window.requestAnimationFrame(() => headingRef.current?.focus());
  };
  const next = () => {
    setAttempted(a => new Set(a).add(step));
    const errors = errorsOfStep(clientErrors, step);
    if (Object.keys(errors).length) {
      // Focus the first invalid control of this step.
      window.requestAnimationFrame(() => {
        const first = Object.keys(errors)[0];
        document.getElementById(`jp-autopilot-create-${first}`)?.focus();
      });
      return;
    }
    if (stepIndex < STEPS.length - 1) {
      goTo(STEPS[stepIndex + 1]);
    }
  };
  const back = () => {
    if (stepIndex > 0) {
      goTo(STEPS[stepIndex - 1]);
    }
  };
  const reachable = (target: Step) => {
    const index = STEPS.indexOf(target);
    if (index <= stepIndex) {
      return true;
    }
    return STEPS.slice(0, index).every(
      s => Object.keys(errorsOfStep(clientErrors, s)).length === 0
    );
  };

  const create = async () => {
    setAttempted(new Set(STEPS));
    const first = firstStepWithErrors({ ...clientErrors, ...checkErrs });
    if (first && first !== 'review') {
      goTo(first);
      return;
    }
    setCreating(true);
    setCreateError(null);
    setServerErrors({});
    try {
      const spec = buildSpec(form, context);
      const experiment = await model.client.createExperiment(spec);
      model.experimentsChanged.emit(experiment.name);
      actions.openExperiment(experiment.name);
      props.onDone();
    } catch (error) {
      const byField = fieldErrors(error);
      setServerErrors(byField);
      setCreateError(error);
      const firstField = Object.keys(byField).find(f => f !== '');
      if (firstField) {
        const target = FIELD_STEP[firstField] ?? 'review';
        if (target !== 'review') {
          goTo(target);
        }
      }
    } finally {
      setCreating(false);
    }
  };

  if (healthError) {
    return (
      <div className="jp-AutopilotCreate-body">
        <ErrorMessage
          error={healthError}
          title={trans.__('Cannot reach the Autopilot server extension.')}
          onRetry={() => {
            setHealthError(null);
            model.health(true).then(setHealth, setHealthError);
          }}
        />
      </div>
    );
  }
  if (!health) {
    return (
      <div className="jp-AutopilotCreate-body">
        <Loading />
      </div>
    );
  }

  const current = check && check.key === requestKey ? check : null;
  const shownWarnings: DataWarning[] =
    (current ?? (checking ? check : null))?.result?.warnings ?? [];
  const checkStatus: CheckStatus = unsupported
    ? 'unsupported'
    : !request
      ? 'idle'
      : checking || !current
        ? 'checking'
        : checkFailure(current, requestKey) !== null
          ? 'failed'
          : 'done';
  const checks: IChecks = {
    status: checkStatus,
    columnWarnings: actionableWarnings(shownWarnings, form),
    notes: otherWarnings(shownWarnings, form),
    error: checkFailure(current, requestKey),
    result: current?.result ?? null,
    nameChecked: !!current?.nameChecked,
    onExclude: column => {
      update({
        exclude_columns: Array.from(new Set([...form.exclude_columns, column]))
      });
      touch('exclude_columns');
    }
  };

  const stepProps: IStepProps = {
    form,
    update,
    touch,
    errorOf,
    health,
    preview: context.columns ? preview : null,
    model,
    actions,
    checks
  };

  return (
    <div className="jp-AutopilotCreate-body">
      <header className="jp-Autopilot-viewHeader">
        <h2>{trans.__('Create an Autopilot experiment')}</h2>
        <span className="jp-Autopilot-chip">
          {s3 ? trans.__('SageMaker backend') : trans.__('Local backend')}
        </span>
      </header>
      {props.sample && <SampleNotice sample={props.sample} s3={s3} />}
      <nav aria-label={trans.__('Steps')}>
        <ol className="jp-Autopilot-steps">
          {STEPS.map((s, i) => {
            const hasErrors =
              (attempted.has(s) &&
                Object.keys(
                  errorsOfStep({ ...clientErrors, ...serverErrors }, s)
                ).length > 0) ||
              Object.keys(errorsOfStep(checkErrs, s)).length > 0;
            return (
              <li
                key={s}
                className={
                  s === step
                    ? 'jp-mod-current'
                    : i < stepIndex
                      ? 'jp-mod-done'
                      : ''
                }
              >
                <button
                  aria-current={s === step ? 'step' : undefined}
                  disabled={!reachable(s) || creating}
                  onClick={() => goTo(s)}
                >
                  <span className="jp-Autopilot-stepNumber" aria-hidden="true">
                    {i + 1}
                  </span>
                  <span>{titles[s]}</span>
                  {hasErrors && (
                    <span className="jp-Autopilot-stepError">
                      <span className="jp-Autopilot-srOnly">
                        {trans.__('(has errors)')}
                      </span>
                      !
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>
      <main className="jp-AutopilotCreate-step">
        <h3
          ref={headingRef}
          tabIndex={-1}
          className="jp-AutopilotCreate-stepTitle"
        >
          {trans.__(
            'Step %1 of %2: %3',
            stepIndex + 1,
            STEPS.length,
            titles[step]
          )}
        </h3>
        {step === 'data' && (
          <DataStep
            {...stepProps}
            previewing={previewing}
            previewError={previewError}
            fullPreview={preview}
            onPreview={(uri, delimiter) => void runPreview(uri, delimiter)}
          />
        )}
        {step === 'target' && <TargetStep {...stepProps} />}
        {step === 'settings' && <SettingsStep {...stepProps} />}
        {step === 'review' && (
          <ReviewStep
            {...stepProps}
            clientErrors={clientErrors}
            serverErrors={{ ...checkErrs, ...serverErrors }}
            goTo={goTo}
          />
        )}
        {createError !== null && (
          <ErrorMessage
            error={createError}
            title={trans.__('The experiment was not created.')}
          />
        )}
      </main>
      <footer className="jp-AutopilotCreate-footer">
        <Button onClick={() => props.onDone()} minimal disabled={creating}>
          {trans.__('Cancel')}
        </Button>
        <span className="jp-Autopilot-spacer" />
        <Button onClick={back} disabled={stepIndex === 0 || creating}>
          {trans.__('Back')}
        </Button>
        {step !== 'review' ? (
          <Button className="jp-Autopilot-primary" onClick={next}>
            {trans.__('Next')}
          </Button>
        ) : (
          <Button
            className="jp-Autopilot-primary"
            onClick={() => void create()}
            disabled={creating}
          >
            {creating ? <Spinner /> : null}
            {creating ? trans.__('Creating…') : trans.__('Create experiment')}
          </Button>
        )}
      </footer>
    </div>
  );
}

/** What the tutorial's data is, what to leave out, and whose it is (its licence). */
function SampleNotice(props: {
  sample: SampleDataset;
  s3: boolean;
}): JSX.Element {
  const trans = useTrans();
  const { sample } = props;
  return (
    <section
      className="jp-AutopilotCreate-sample"
      aria-label={trans.__('Tutorial data')}
    >
      <Notice kind="info">
        <p>
          <strong>{sample.title}.</strong> {sample.description}
        </p>
        <p>
          {props.s3
            ? trans.__(
                'Upload the file to S3 below; the target %1 is already chosen for the next step.',
                sample.target
              )
            : trans.__('The target %1 is chosen.', sample.target)}
        </p>
        {sample.suggested_exclusions?.map(e => (
          <p key={e.column}>
            {trans.__('Leave out %1: %2', e.column, e.reason)}
          </p>
        ))}
        <p className="jp-Autopilot-muted">
          {trans.__('Data: %1.', sample.source)}{' '}
          <a
            href={sample.source_url}
            target="_blank"
            rel="noopener noreferrer"
            title={trans.__('Please cite: %1', sample.citation)}
          >
            {sample.source_url}
          </a>{' '}
          {trans.__('Licence:')}{' '}
          <a
            href={sample.license_url}
            target="_blank"
            rel="noopener noreferrer"
          >
            {licenseLabel(sample.license)}
          </a>
        </p>
      </Notice>
    </section>
  );
}

/** The server check of the current form, for the target and review steps. */
interface IChecks {
  status: CheckStatus;
  columnWarnings: DataWarning[];
  notes: DataWarning[];
  error: unknown;
  result: ICheckOutcome['result'];
  nameChecked: boolean;
  onExclude: (column: string) => void;
}

interface IStepProps {
  checks: IChecks;
  form: IExperimentForm;
  update: (patch: Partial<IExperimentForm>) => void;
  touch: (field: string) => void;
  errorOf: (field: FormField) => string | undefined;
  health: Health;
  /** The preview of the current input (null when missing or stale). */
  preview: DatasetPreview | null;
  model: AutopilotModel;
  actions: IAutopilotActions;
}

const fieldId = (name: string) => `jp-autopilot-create-${name}`;

/** Fields the experiment cannot do without. */
const REQUIRED = new Set<string>(['input_uri', 'target', 'name']);

/** Common props of a text input bound to a form field. */
function inputProps(
  p: IStepProps,
  name: keyof IExperimentForm,
  help?: React.ReactNode
): React.InputHTMLAttributes<HTMLInputElement> {
  const error = p.errorOf(name);
  return {
    id: fieldId(name),
    value: p.form[name] as string,
    onChange: e =>
      p.update({ [name]: (e.target as HTMLInputElement).value } as any),
    onBlur: () => p.touch(name),
    'aria-invalid': error ? true : undefined,
    'aria-required': REQUIRED.has(name) ? true : undefined,
    'aria-describedby': describedBy(fieldId(name), help, error),
    className: error ? 'jp-mod-error' : undefined
  };
}

// Step 1: data --------------------------------------------------------------------------

function DataStep(
  p: IStepProps & {
    previewing: boolean;
    previewError: unknown;
    fullPreview: DatasetPreview | null;
    onPreview: (uri: string, delimiter: string) => void;
  }
): JSX.Element {
  const trans = useTrans();
  const s3 = p.health.features.s3;
  const [uploadPath, setUploadPath] = React.useState(
    s3 && p.form.input_uri && !p.form.input_uri.startsWith('s3://')
      ? p.form.input_uri
      : ''
  );
  const [keyPrefix, setKeyPrefix] = React.useState('sagemaker/autopilot/input');
  const [uploading, setUploading] = React.useState(false);
  const [uploadError, setUploadError] = React.useState<unknown>(null);
  const [uploadWarnings, setUploadWarnings] = React.useState<string[]>([]);

  const browse = async () => {
    const path = await p.actions.pickFile(
      trans.__('Choose the training data'),
      ['.csv', '.csv.gz', '.tsv', '.txt']
    );
    if (path) {
      if (s3) {
        setUploadPath(path);
        p.onPreview(path, p.form.delimiter);
      } else {
        p.update({ input_uri: path });
        p.touch('input_uri');
        p.onPreview(path, p.form.delimiter);
      }
    }
  };

  const upload = async () => {
    setUploading(true);
    setUploadError(null);
    setUploadWarnings([]);
    try {
      const result = await p.model.client.uploadDataset({
        path: uploadPath.trim(),
        key_prefix: keyPrefix.trim() || 'sagemaker/autopilot/input',
        bucket: null
      });
      setUploadWarnings(result.warnings ?? []);
      p.update({ input_uri: result.uri });
      p.touch('input_uri');
      p.onPreview(result.uri, p.form.delimiter);
    } catch (error) {
      setUploadError(error);
    } finally {
      setUploading(false);
    }
  };

  const help = s3
    ? trans.__('The CSV file in S3 that Autopilot trains on (s3://bucket/key).')
    : trans.__(
        'A CSV file under the Jupyter root (plain or .csv.gz), with a header row.'
      );
  const fullPreview = p.fullPreview;
  const stale =
    fullPreview !== null &&
    p.form.input_uri.trim() !== '' &&
    fullPreview.uri !== p.form.input_uri.trim() &&
    !(s3 && fullPreview.uri === uploadPath.trim());

  return (
    <div className="jp-AutopilotCreate-fields">
      <Field
        id={fieldId('input_uri')}
        label={
          s3
            ? trans.__('S3 location of the training data')
            : trans.__('Training data file')
        }
        help={help}
        error={p.errorOf('input_uri')}
        required
      >
        <div className="jp-Autopilot-inline">
          <InputGroup
            {...inputProps(p, 'input_uri', help)}
            placeholder={
              s3
                ? 's3://bucket/prefix/data.csv'
                : 'bank-additional/bank-additional-full.csv'
            }
            onKeyDown={e => {
              if (e.key === 'Enter') {
                p.onPreview(p.form.input_uri, p.form.delimiter);
              }
            }}
            onBlur={() => {
              p.touch('input_uri');
              if (
                p.form.input_uri.trim() &&
                p.form.input_uri.trim() !== fullPreview?.uri
              ) {
                p.onPreview(p.form.input_uri, p.form.delimiter);
              }
            }}
          />
          {!s3 && (
            <Button onClick={() => void browse()}>
              <ButtonIcon icon={folderIcon} />
              {trans.__('Browse…')}
            </Button>
          )}
          <Button
            onClick={() => p.onPreview(p.form.input_uri, p.form.delimiter)}
            disabled={!p.form.input_uri.trim() || p.previewing}
          >
            {trans.__('Preview')}
          </Button>
        </div>
      </Field>

      {s3 && (
        <fieldset className="jp-Autopilot-fieldset">
          <legend>{trans.__('Or upload a file from this server to S3')}</legend>
          <p className="jp-Autopilot-fieldHelp">
            {trans.__(
              'Copies the file to the default bucket %1 under the key prefix; the S3 URI is filled in for you.',
              p.health.default_bucket ?? 'sagemaker-<region>-<account>'
            )}
          </p>
          <div className="jp-Autopilot-grid2">
            <Field
              id={fieldId('upload-path')}
              label={trans.__('File to upload')}
            >
              <div className="jp-Autopilot-inline">
                <InputGroup
                  id={fieldId('upload-path')}
                  value={uploadPath}
                  placeholder="bank-additional/bank-additional-full.csv"
                  onChange={e =>
                    setUploadPath((e.target as HTMLInputElement).value)
                  }
                />
                <Button onClick={() => void browse()}>
                  <ButtonIcon icon={folderIcon} />
                  {trans.__('Browse…')}
                </Button>
              </div>
            </Field>
            <Field id={fieldId('key-prefix')} label={trans.__('Key prefix')}>
              <InputGroup
                id={fieldId('key-prefix')}
                value={keyPrefix}
                onChange={e =>
                  setKeyPrefix((e.target as HTMLInputElement).value)
                }
              />
            </Field>
          </div>
          <Button
            onClick={() => void upload()}
            disabled={!uploadPath.trim() || uploading}
          >
            {uploading ? <Spinner /> : <ButtonIcon icon={fileUploadIcon} />}
            {uploading ? trans.__('Uploading…') : trans.__('Upload to S3')}
          </Button>
          <ErrorMessage
            error={uploadError}
            title={trans.__('Upload failed.')}
          />
          {uploadWarnings.map((w, i) => (
            <Notice kind="info" key={i}>
              {w}
            </Notice>
          ))}
        </fieldset>
      )}

      <div className="jp-Autopilot-grid2">
        <Field
          id={fieldId('delimiter')}
          label={trans.__('Delimiter')}
          help={
            fullPreview
              ? trans.__(
                  'Detected: %1',
                  delimiterName(fullPreview.delimiter, trans)
                )
              : trans.__('Detected from the file unless you choose one.')
          }
          error={p.errorOf('delimiter')}
        >
          <HTMLSelect
            id={fieldId('delimiter')}
            value={p.form.delimiter}
            onChange={e => {
              p.update({ delimiter: e.target.value });
              if (p.form.input_uri.trim()) {
                p.onPreview(p.form.input_uri, e.target.value);
              }
            }}
            options={[
              { value: '', label: trans.__('Detect automatically') },
              { value: ',', label: trans.__('Comma (,)') },
              { value: ';', label: trans.__('Semicolon (;)') },
              { value: '\t', label: trans.__('Tab') },
              { value: '|', label: trans.__('Pipe (|)') }
            ]}
          />
        </Field>
        {s3 && (
          <Field
            id={fieldId('manifest')}
            label={trans.__('Input format')}
            error={p.errorOf('manifest')}
            help={trans.__(
              'A manifest file lists the S3 objects that make up the data.'
            )}
          >
            <label className="jp-Autopilot-checkbox">
              <input
                id={fieldId('manifest')}
                type="checkbox"
                checked={p.form.manifest}
                onChange={e => p.update({ manifest: e.target.checked })}
              />
              {trans.__('The input is a manifest file')}
            </label>
          </Field>
        )}
      </div>

      <section
        className="jp-AutopilotCreate-preview"
        aria-label={trans.__('Data preview')}
        aria-busy={p.previewing}
      >
        <h4>{trans.__('Preview')}</h4>
        {p.previewing && <Loading label={trans.__('Reading the file…')} />}
        {!p.previewing && p.previewError !== null && (
          <ErrorMessage
            error={p.previewError}
            title={trans.__('Cannot read this file.')}
            onRetry={() =>
              p.onPreview(
                s3 && uploadPath ? uploadPath : p.form.input_uri,
                p.form.delimiter
              )
            }
          />
        )}
        {!p.previewing && p.previewError === null && !fullPreview && (
          <p className="jp-Autopilot-muted">
            {trans.__(
              'Choose a file to see its first rows, column types and missing values.'
            )}
          </p>
        )}
        {!p.previewing && fullPreview && (
          <>
            {stale && (
              <Notice kind="info">
                {trans.__(
                  'This preview is of %1; press Preview to read the new location.',
                  fullPreview.uri
                )}
              </Notice>
            )}
            <PreviewSummary preview={fullPreview} />
            {(fullPreview.warnings ?? []).map((w, i) => (
              <Notice kind="warning" key={i}>
                {w}
              </Notice>
            ))}
            <PreviewTable
              preview={fullPreview}
              caption={trans.__(
                'First %1 rows of %2',
                fullPreview.rows.length,
                fullPreview.uri
              )}
            />
          </>
        )}
      </section>
    </div>
  );
}

// Step 2: target and columns -------------------------------------------------------------

function TargetStep(p: IStepProps): JSX.Element {
  const trans = useTrans();
  const preview = p.preview;
  const columns = preview?.columns ?? [];
  const targetColumn = columns.find(c => c.name === p.form.target);
  const guessed = guessProblemType(targetColumn);
  const effectiveType =
    p.form.problem_type === 'auto' ? guessed : p.form.problem_type;
  const metrics =
    (effectiveType && effectiveType !== 'auto'
      ? p.health.defaults.metrics_by_problem_type[effectiveType]
      : undefined) ?? [];
  const metricDefault = defaultMetric(
    effectiveType,
    p.health.defaults.metrics_by_problem_type as Partial<
      Record<ProblemType, ObjectiveMetric[]>
    >
  );
  const features = columns.filter(c => c.name !== p.form.target);
  const excluded = new Set(p.form.exclude_columns);
  const warningsByColumn = new Map<string, DataWarning[]>();
  for (const w of p.checks.columnWarnings) {
    const list = warningsByColumn.get(w.column as string) ?? [];
    warningsByColumn.set(w.column as string, [...list, w]);
  }
  const toggle = (name: string, include: boolean) => {
    const next = new Set(excluded);
    if (include) {
      next.delete(name);
    } else {
      next.add(name);
    }
    p.update({
      exclude_columns: columns.map(c => c.name).filter(n => next.has(n))
    });
    p.touch('exclude_columns');
  };
  const targetHelp = targetColumn
    ? trans.__(
        '%1 distinct values; for example %2.',
        targetColumn.unique_count,
        (targetColumn.examples ?? []).slice(0, 4).join(', ')
      )
    : trans.__('The column whose values the model learns to predict.');

  return (
    <div className="jp-AutopilotCreate-fields">
      <div className="jp-Autopilot-grid3">
        <Field
          id={fieldId('target')}
          label={trans.__('Target column')}
          help={targetHelp}
          error={p.errorOf('target')}
          required
        >
          {preview ? (
            <HTMLSelect
              id={fieldId('target')}
              value={p.form.target}
              aria-invalid={p.errorOf('target') ? true : undefined}
              aria-required={true}
              aria-describedby={describedBy(
                fieldId('target'),
                targetHelp,
                p.errorOf('target')
              )}
              className={p.errorOf('target') ? 'jp-mod-error' : undefined}
              onChange={e => {
                const target = e.target.value;
                p.update({
                  target,
                  exclude_columns: p.form.exclude_columns.filter(
                    c => c !== target
                  ),
                  objective_metric: ''
                });
                p.touch('target');
              }}
              options={[
                { value: '', label: trans.__('Choose a column…') },
                ...columns.map(c => ({ value: c.name, label: c.name }))
              ]}
            />
          ) : (
            <InputGroup
              {...inputProps(p, 'target', targetHelp)}
              placeholder="y"
            />
          )}
        </Field>
        <Field
          id={fieldId('problem_type')}
          label={trans.__('Problem type')}
          help={
            p.form.problem_type === 'auto' && guessed
              ? trans.__('Looks like: %1', problemTypeLabel(guessed, trans))
              : undefined
          }
          error={p.errorOf('problem_type')}
        >
          <HTMLSelect
            id={fieldId('problem_type')}
            value={p.form.problem_type}
            onChange={e =>
              p.update({
                problem_type: e.target.value as ProblemType,
                objective_metric: ''
              })
            }
            options={PROBLEM_TYPES.map(t => ({
              value: t,
              label: problemTypeLabel(t, trans)
            }))}
          />
        </Field>
        <Field
          id={fieldId('objective_metric')}
          label={trans.__('Objective metric')}
          help={trans.__('What Autopilot optimises and ranks candidates by.')}
          error={p.errorOf('objective_metric')}
        >
          <HTMLSelect
            id={fieldId('objective_metric')}
            value={p.form.objective_metric}
            onChange={e =>
              p.update({
                objective_metric: e.target.value as ObjectiveMetric | ''
              })
            }
            aria-invalid={p.errorOf('objective_metric') ? true : undefined}
            options={[
              {
                value: '',
                label: metricDefault
                  ? trans.__('Default (%1)', metricDefault)
                  : trans.__('Default for the problem type')
              },
              ...metrics.map(m => ({ value: m, label: m }))
            ]}
          />
        </Field>
      </div>

      <Field
        id={fieldId('exclude_columns')}
        label={trans.__('Columns to learn from')}
        help={trans.__(
          'Untick columns the model must not use, such as ones only known after the outcome (they leak the target).'
        )}
        error={p.errorOf('exclude_columns')}
      >
        {preview ? (
          <div
            className="jp-Autopilot-tableScroll jp-AutopilotCreate-columns"
            id={fieldId('exclude_columns')}
            tabIndex={-1}
          >
            <table className="jp-Autopilot-table">
              <thead>
                <tr>
                  <th scope="col">{trans.__('Use')}</th>
                  <th scope="col">{trans.__('Column')}</th>
                  <th scope="col">{trans.__('Type')}</th>
                  <th scope="col" className="jp-mod-numeric">
                    {trans.__('Missing')}
                  </th>
                  <th scope="col" className="jp-mod-numeric">
                    {trans.__('Distinct')}
                  </th>
                  <th scope="col">{trans.__('Examples')}</th>
                  <th scope="col">{trans.__('Notes')}</th>
                </tr>
              </thead>
              <tbody>
                {features.map(column => (
                  <ColumnRow
                    key={column.name}
                    column={column}
                    included={!excluded.has(column.name)}
                    warnings={warningsByColumn.get(column.name) ?? []}
                    onToggle={include => toggle(column.name, include)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <InputGroup
            id={fieldId('exclude_columns')}
            value={p.form.exclude_columns.join(', ')}
            placeholder={trans.__('Comma-separated column names')}
            onChange={e =>
              p.update({
                exclude_columns: (e.target as HTMLInputElement).value
                  .split(',')
                  .map(s => s.trim())
                  .filter(Boolean)
              })
            }
          />
        )}
      </Field>
      {preview && (
        <p className="jp-Autopilot-muted">
          {trans.__(
            '%1 of %2 columns used as features.',
            features.filter(c => !excluded.has(c.name)).length,
            features.length
          )}{' '}
          {p.checks.status === 'unsupported'
            ? trans.__(
                'Autopilot analyses the data when the experiment starts and warns about columns that leak the target.'
              )
            : trans.__(
                'Once the target is chosen, Autopilot checks the data for columns that leak it.'
              )}
        </p>
      )}
      {p.checks.status !== 'unsupported' && (
        <DataChecks
          status={p.checks.status}
          columnWarnings={p.checks.columnWarnings}
          notes={p.checks.notes}
          error={p.checks.error}
          onExclude={p.checks.onExclude}
          backend={p.health.backend}
        />
      )}
    </div>
  );
}

function ColumnRow(props: {
  column: ColumnSummary;
  included: boolean;
  warnings: DataWarning[];
  onToggle: (include: boolean) => void;
}): JSX.Element {
  const trans = useTrans();
  const c = props.column;
  const hints = columnHints(c, trans);
  const flagged = props.included && props.warnings.length > 0;
  return (
    <tr
      className={
        props.included
          ? flagged
            ? 'jp-mod-flagged'
            : undefined
          : 'jp-mod-dimmed'
      }
    >
      <td>
        <input
          type="checkbox"
          checked={props.included}
          aria-label={trans.__('Use column %1', c.name)}
          onChange={e => props.onToggle(e.target.checked)}
        />
      </td>
      <th scope="row" className="jp-Autopilot-colName">
        {c.name}
      </th>
      <td>
        <TypeTag column={c} />
      </td>
      <td className="jp-mod-numeric">
        {c.missing_count ? formatPercent(c.missing_fraction, 1) : '–'}
      </td>
      <td className="jp-mod-numeric">{c.unique_count}</td>
      <td className="jp-Autopilot-examples">
        {(c.examples ?? []).slice(0, 3).join(', ')}
      </td>
      <td className="jp-Autopilot-hints">
        {flagged &&
          props.warnings.map((w, i) => (
            <span
              key={i}
              className="jp-Autopilot-hintWarning"
              title={w.message}
            >
              {warningLabel(w, trans)}
            </span>
          ))}
        {hints.join(' ')}
      </td>
    </tr>
  );
}

// Step 3: settings --------------------------------------------------------------------------

function SettingsStep(p: IStepProps): JSX.Element {
  const trans = useTrans();
  const d = p.health.defaults;
  const s3 = p.health.features.s3;
  const seconds = (text: string) => {
    const n = Number(text);
    return text.trim() && isFinite(n) && n > 0 ? formatDuration(n) : '';
  };
  const nameHelp = trans.__(
    '1–32 letters, digits and hyphens (SageMaker’s naming rule).'
  );
  return (
    <div className="jp-AutopilotCreate-fields">
      <div className="jp-Autopilot-grid2">
        <Field
          id={fieldId('name')}
          label={trans.__('Experiment name')}
          help={nameHelp}
          error={p.errorOf('name')}
          required
        >
          <InputGroup
            {...inputProps(p, 'name', nameHelp)}
            maxLength={64}
            autoComplete="off"
          />
        </Field>
        <Field
          id={fieldId('project')}
          label={trans.__('Project (optional)')}
          error={p.errorOf('project')}
        >
          <InputGroup {...inputProps(p, 'project')} />
        </Field>
      </div>
      <Field
        id={fieldId('description')}
        label={trans.__('Description (optional)')}
        error={p.errorOf('description')}
      >
        <InputGroup {...inputProps(p, 'description')} />
      </Field>

      <fieldset className="jp-Autopilot-fieldset" id={fieldId('mode')}>
        <legend>{trans.__('Run a complete experiment?')}</legend>
        <label className="jp-Autopilot-radio">
          <input
            type="radio"
            name="jp-autopilot-mode"
            checked={p.form.mode === 'complete'}
            onChange={() => p.update({ mode: 'complete' })}
          />
          <span>
            <strong>{trans.__('Yes: complete experiment')}</strong>
            <span className="jp-Autopilot-muted">
              {' '}
              {trans.__(
                'All four stages: analyse, define candidates, engineer features, tune models.'
              )}
            </span>
          </span>
        </label>
        <label className="jp-Autopilot-radio">
          <input
            type="radio"
            name="jp-autopilot-mode"
            checked={p.form.mode === 'pilot'}
            onChange={() => p.update({ mode: 'pilot' })}
          />
          <span>
            <strong>{trans.__('No: pilot run')}</strong>
            <span className="jp-Autopilot-muted">
              {' '}
              {trans.__(
                'Stop after generating the candidate definitions notebook, to review or edit it.'
              )}
            </span>
          </span>
        </label>
      </fieldset>

      <fieldset className="jp-Autopilot-fieldset">
        <legend>{trans.__('Budget')}</legend>
        <div className="jp-Autopilot-grid3">
          <Field
            id={fieldId('max_candidates')}
            label={trans.__('Max candidates')}
            help={trans.__('Default %1', d.max_candidates)}
            error={p.errorOf('max_candidates')}
          >
            <InputGroup
              {...inputProps(
                p,
                'max_candidates',
                trans.__('Default %1', d.max_candidates)
              )}
              type="number"
              min={1}
              max={750}
              inputMode="numeric"
              placeholder={String(d.max_candidates)}
            />
          </Field>
          <Field
            id={fieldId('max_trial_runtime_seconds')}
            label={trans.__('Max trial runtime (s)')}
            help={
              seconds(p.form.max_trial_runtime_seconds) ||
              trans.__(
                'Default %1',
                formatDuration(d.max_trial_runtime_seconds)
              )
            }
            error={p.errorOf('max_trial_runtime_seconds')}
          >
            <InputGroup
              {...inputProps(p, 'max_trial_runtime_seconds', true)}
              type="number"
              min={1}
              inputMode="numeric"
              placeholder={String(d.max_trial_runtime_seconds)}
            />
          </Field>
          <Field
            id={fieldId('max_job_runtime_seconds')}
            label={trans.__('Max job runtime (s)')}
            help={
              seconds(p.form.max_job_runtime_seconds) ||
              trans.__('Default %1', formatDuration(d.max_job_runtime_seconds))
            }
            error={p.errorOf('max_job_runtime_seconds')}
          >
            <InputGroup
              {...inputProps(p, 'max_job_runtime_seconds', true)}
              type="number"
              min={1}
              inputMode="numeric"
              placeholder={String(d.max_job_runtime_seconds)}
            />
          </Field>
        </div>
        <div className="jp-Autopilot-grid3">
          <Field
            id={fieldId('validation_fraction')}
            label={trans.__('Validation fraction')}
            help={trans.__(
              'Share of rows held out to score candidates (0–0.5).'
            )}
            error={p.errorOf('validation_fraction')}
          >
            <InputGroup
              {...inputProps(p, 'validation_fraction', true)}
              type="number"
              step={0.05}
              min={0.05}
              max={0.5}
            />
          </Field>
          <Field
            id={fieldId('training_mode')}
            label={trans.__('Training mode')}
          >
            <HTMLSelect
              id={fieldId('training_mode')}
              value={p.form.training_mode}
              onChange={e =>
                p.update({
                  training_mode: e.target
                    .value as IExperimentForm['training_mode']
                })
              }
              options={[
                { value: 'auto', label: trans.__('Auto') },
                { value: 'ensembling', label: trans.__('Ensembling') },
                {
                  value: 'hyperparameter_tuning',
                  label: trans.__('Hyperparameter tuning')
                }
              ]}
            />
          </Field>
        </div>
      </fieldset>

      <TagsEditor {...p} />

      {s3 && <AwsFields {...p} />}
    </div>
  );
}

function TagsEditor(p: IStepProps): JSX.Element {
  const trans = useTrans();
  const tags = p.form.tags;
  const set = (index: number, patch: Partial<{ key: string; value: string }>) =>
    p.update({
      tags: tags.map((t, i) => (i === index ? { ...t, ...patch } : t))
    });
  return (
    <fieldset
      className="jp-Autopilot-fieldset"
      id={fieldId('tags')}
      tabIndex={-1}
    >
      <legend>{trans.__('Tags (optional)')}</legend>
      {tags.map((tag, i) => (
        <div className="jp-Autopilot-inline" key={i}>
          <InputGroup
            aria-label={trans.__('Tag %1 key', i + 1)}
            placeholder={trans.__('Key')}
            value={tag.key}
            onChange={e =>
              set(i, { key: (e.target as HTMLInputElement).value })
            }
            onBlur={() => p.touch('tags')}
          />
          <InputGroup
            aria-label={trans.__('Tag %1 value', i + 1)}
            placeholder={trans.__('Value')}
            value={tag.value}
            onChange={e =>
              set(i, { value: (e.target as HTMLInputElement).value })
            }
            onBlur={() => p.touch('tags')}
          />
          <Button
            minimal
            aria-label={trans.__('Remove tag %1', i + 1)}
            onClick={() => p.update({ tags: tags.filter((_, j) => j !== i) })}
          >
            <closeIcon.react tag="span" />
          </Button>
        </div>
      ))}
      <Button
        small
        onClick={() => p.update({ tags: [...tags, { key: '', value: '' }] })}
      >
        <ButtonIcon icon={addIcon} />
        {trans.__('Add tag')}
      </Button>
      <div className="jp-Autopilot-fieldError" aria-live="polite">
        {p.errorOf('tags') ?? ''}
      </div>
    </fieldset>
  );
}

function AwsFields(p: IStepProps): JSX.Element {
  const trans = useTrans();
  const h = p.health;
  return (
    <fieldset className="jp-Autopilot-fieldset jp-AutopilotCreate-aws">
      <legend>{trans.__('AWS settings')}</legend>
      <div className="jp-Autopilot-grid2">
        <Field
          id={fieldId('output_uri')}
          label={trans.__('Output data location (S3)')}
          help={trans.__(
            'Default: s3://%1/…',
            h.default_bucket ?? 'sagemaker-<region>-<account>'
          )}
          error={p.errorOf('output_uri')}
        >
          <InputGroup
            {...inputProps(p, 'output_uri', true)}
            placeholder="s3://bucket/prefix"
          />
        </Field>
        <Field
          id={fieldId('role_arn')}
          label={trans.__('IAM role')}
          help={
            h.role_arn
              ? trans.__('Default: %1', h.role_arn)
              : trans.__('The SageMaker execution role.')
          }
          error={p.errorOf('role_arn')}
        >
          <InputGroup
            {...inputProps(p, 'role_arn', true)}
            placeholder={
              h.role_arn ?? 'arn:aws:iam::123456789012:role/SageMakerRole'
            }
          />
        </Field>
        <Field
          id={fieldId('kms_key_id')}
          label={trans.__('Encryption key (KMS, optional)')}
          error={p.errorOf('kms_key_id')}
        >
          <InputGroup
            {...inputProps(p, 'kms_key_id')}
            placeholder={trans.__('Key id or ARN')}
          />
        </Field>
      </div>
      <div className="jp-Autopilot-grid2">
        <Field
          id={fieldId('vpc_security_group_ids')}
          label={trans.__('VPC security groups (optional)')}
          help={trans.__('Comma-separated, e.g. sg-0123abcd')}
          error={p.errorOf('vpc_security_group_ids') ?? p.errorOf('vpc_config')}
        >
          <InputGroup {...inputProps(p, 'vpc_security_group_ids', true)} />
        </Field>
        <Field
          id={fieldId('vpc_subnets')}
          label={trans.__('VPC subnets (optional)')}
          help={trans.__('Comma-separated, e.g. subnet-0123abcd')}
          error={p.errorOf('vpc_subnets')}
        >
          <InputGroup {...inputProps(p, 'vpc_subnets', true)} />
        </Field>
      </div>
    </fieldset>
  );
}

// Step 4: review -----------------------------------------------------------------------------

function ReviewStep(
  p: IStepProps & {
    clientErrors: FormErrors;
    serverErrors: FormErrors;
    goTo: (step: Step) => void;
  }
): JSX.Element {
  const trans = useTrans();
  const f = p.form;
  const d = p.health.defaults;
  const s3 = p.health.features.s3;
  const titles = useStepTitles();
  const guessed = guessProblemType(
    p.preview?.columns.find(c => c.name === f.target)
  );
  const effective = f.problem_type === 'auto' ? guessed : f.problem_type;
  const metric =
    f.objective_metric ||
    defaultMetric(
      effective,
      d.metrics_by_problem_type as Partial<
        Record<ProblemType, ObjectiveMetric[]>
      >
    ) ||
    trans.__('default');
  // The budget the server resolved for the empty fields, once checked.
  const budget = p.checks.result?.budget;
  const features = p.preview
    ? p.preview.columns.filter(
        c => c.name !== f.target && !f.exclude_columns.includes(c.name)
      ).length
    : null;
  const rows: Array<{
    step: Step;
    field: FormField;
    label: string;
    value: React.ReactNode;
  }> = [
    {
      step: 'data',
      field: 'input_uri',
      label: trans.__('Data'),
      value: f.input_uri || '–'
    },
    ...(s3 && f.manifest
      ? [
          {
            step: 'data' as Step,
            field: 'manifest' as FormField,
            label: trans.__('Manifest'),
            value: trans.__('yes')
          }
        ]
      : []),
    {
      step: 'target',
      field: 'target',
      label: trans.__('Target'),
      value: f.target || '–'
    },
    {
      step: 'target',
      field: 'exclude_columns',
      label: trans.__('Excluded columns'),
      value: f.exclude_columns.length
        ? f.exclude_columns.join(', ')
        : trans.__('none')
    },
    ...(features !== null
      ? [
          {
            step: 'target' as Step,
            field: '' as FormField,
            label: trans.__('Features'),
            value: String(features)
          }
        ]
      : []),
    {
      step: 'target',
      field: 'problem_type',
      label: trans.__('Problem type'),
      value:
        f.problem_type === 'auto' && guessed
          ? trans.__(
              'Auto-detect (looks like %1)',
              problemTypeLabel(guessed, trans).toLowerCase()
            )
          : problemTypeLabel(f.problem_type, trans)
    },
    ...(f.candidate_plan
      ? [
          {
            step: 'settings' as Step,
            field: 'candidate_plan' as FormField,
            label: trans.__('Candidates'),
            value: trans.__(
              '%1 from a plan: %2',
              f.candidate_plan.candidates.map(c => c.name).join(', '),
              f.candidate_plan.source || trans.__('copied experiment')
            )
          }
        ]
      : []),
    {
      step: 'target',
      field: 'objective_metric',
      label: trans.__('Objective'),
      value: metric
    },
    {
      step: 'settings',
      field: 'name',
      label: trans.__('Name'),
      value: f.name || '–'
    },
    {
      step: 'settings',
      field: 'mode',
      label: trans.__('Run'),
      value:
        f.mode === 'complete'
          ? trans.__('Complete experiment')
          : trans.__('Pilot (candidate definitions only)')
    },
    {
      step: 'settings',
      field: 'max_candidates',
      label: trans.__('Max candidates'),
      value:
        f.max_candidates ||
        trans.__('%1 (default)', budget?.max_candidates ?? d.max_candidates)
    },
    {
      step: 'settings',
      field: 'max_trial_runtime_seconds',
      label: trans.__('Max trial runtime'),
      value: f.max_trial_runtime_seconds
        ? formatDuration(Number(f.max_trial_runtime_seconds))
        : trans.__(
            '%1 (default)',
            formatDuration(
              budget?.max_trial_runtime_seconds ??
                Math.min(
                  d.max_trial_runtime_seconds,
                  Number(f.max_job_runtime_seconds) || d.max_job_runtime_seconds
                )
            )
          )
    },
    {
      step: 'settings',
      field: 'max_job_runtime_seconds',
      label: trans.__('Max job runtime'),
      value: f.max_job_runtime_seconds
        ? formatDuration(Number(f.max_job_runtime_seconds))
        : trans.__(
            '%1 (default)',
            formatDuration(
              budget?.max_job_runtime_seconds ?? d.max_job_runtime_seconds
            )
          )
    },
    {
      step: 'settings',
      field: 'validation_fraction',
      label: trans.__('Validation fraction'),
      value: f.validation_fraction
    },
    ...(f.tags.some(t => t.key.trim())
      ? [
          {
            step: 'settings' as Step,
            field: 'tags' as FormField,
            label: trans.__('Tags'),
            value: f.tags
              .filter(t => t.key.trim())
              .map(t => `${t.key}=${t.value}`)
              .join(', ')
          }
        ]
      : []),
    ...(s3
      ? [
          {
            step: 'settings' as Step,
            field: 'output_uri' as FormField,
            label: trans.__('Output location'),
            value: f.output_uri || trans.__('default bucket')
          },
          {
            step: 'settings' as Step,
            field: 'role_arn' as FormField,
            label: trans.__('IAM role'),
            value: f.role_arn || p.health.role_arn || trans.__('default')
          },
          {
            step: 'settings' as Step,
            field: 'kms_key_id' as FormField,
            label: trans.__('KMS key'),
            value: f.kms_key_id || trans.__('none')
          },
          {
            step: 'settings' as Step,
            field: 'vpc_config' as FormField,
            label: trans.__('VPC'),
            value:
              f.vpc_security_group_ids || f.vpc_subnets
                ? `${f.vpc_security_group_ids} / ${f.vpc_subnets}`
                : trans.__('none')
          }
        ]
      : [])
  ];
  const allErrors = { ...p.clientErrors, ...p.serverErrors };
  return (
    <div className="jp-AutopilotCreate-fields">
      {p.serverErrors[''] && (
        <Notice kind="error" role="alert">
          {p.serverErrors['']}
        </Notice>
      )}
      <DataChecks
        status={p.checks.status}
        columnWarnings={p.checks.columnWarnings}
        notes={p.checks.notes}
        error={p.checks.error}
        onExclude={p.checks.onExclude}
        backend={p.health.backend}
        name={
          p.checks.status === 'done' && p.checks.result && p.checks.nameChecked
            ? {
                name: f.name.trim(),
                available: p.checks.result.name_available
              }
            : null
        }
      />
      <table className="jp-Autopilot-table jp-AutopilotCreate-review">
        <tbody>
          {rows.map((row, i) => {
            const error = row.field ? allErrors[row.field] : undefined;
            return (
              <tr key={i} className={error ? 'jp-mod-invalid' : undefined}>
                <th scope="row">{row.label}</th>
                <td>
                  <div className="jp-Autopilot-reviewValue">{row.value}</div>
                  {error && (
                    <div className="jp-Autopilot-fieldError">{error}</div>
                  )}
                </td>
                <td className="jp-Autopilot-reviewEdit">
                  <Button
                    small
                    minimal
                    aria-label={trans.__(
                      'Edit %1 (%2)',
                      row.label,
                      titles[row.step]
                    )}
                    onClick={() => p.goTo(row.step)}
                  >
                    {trans.__('Edit')}
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="jp-Autopilot-muted">
        {f.mode === 'pilot'
          ? trans.__(
              'The pilot run analyses the data and writes the candidate definitions notebook; no models are trained.'
            )
          : trans.__(
              'The experiment starts right away. You can watch the stages and the leaderboard, and stop it at any time.'
            )}
      </p>
    </div>
  );
}
