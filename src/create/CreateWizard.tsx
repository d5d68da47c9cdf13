/**
 * The create-experiment wizard: four steps over one form (state in
 * wizardState.ts), the dataset preview and the server check as hooks, then
 * the create request.
 */
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import type {
  DatasetPreview,
  ExperimentSpec,
  Health,
  ObjectiveMetric,
  ProblemType,
  SampleDataset
} from '../api/types';
import { ErrorMessage, Loading, Spinner, useTrans } from '../common/components';
import { useExperimentNames, useHealth } from '../common/hooks';
import { fieldErrors } from '../logic/errors';
import { AutopilotModel, IAutopilotActions } from '../model';
import { actionableWarnings, checkRequest, otherWarnings } from './checks';
import { DataStep } from './DataStep';
import {
  buildSpec,
  emptyForm,
  FIELD_STEP,
  FormField,
  formFromSpec,
  IExperimentForm,
  isForecasting,
  IValidationContext,
  Step,
  STEPS
} from './form';
import { useStepTitles } from './labels';
import { ReviewStep } from './ReviewStep';
import {
  offersSageMaker,
  RunOnSageMaker,
  TransferNotice
} from './RunOnSageMaker';
import { SampleNotice } from './SampleNotice';
import { initialStep } from './samples';
import { SettingsStep } from './SettingsStep';
import { StepNav } from './StepNav';
import { fieldId, IChecks, IStepProps } from './stepProps';
import { TargetStep } from './TargetStep';
import { ITransfer, tooBigHere } from './transfer';
import { useDatasetPreview } from './useDatasetPreview';
import { seriesErrors, seriesRequest } from './seriesState';
import { useSeriesPreview } from './useSeriesPreview';
import { useServerCheck } from './useServerCheck';
import { useTransfer } from './useTransfer';
import {
  errorsOfStep,
  firstStepWithErrors,
  isReachable,
  validateForm
} from './validation';
import { initialWizardState, wizardReducer } from './wizardState';

/** What the wizard opens with. */
interface IWizardProps {
  model: AutopilotModel;
  actions: IAutopilotActions;
  initialPath?: string;
  initialTarget?: string;
  sample?: SampleDataset;
  initialSpec?: ExperimentSpec;
  /**
   * Opened by "Run on SageMaker" of a local wizard: its form for this backend, the
   * files to upload first and the settings left behind.
   */
  transfer?: ITransfer;
  /** Offered on a local wizard when the server has SageMaker too: open that wizard. */
  onMove?: (model: AutopilotModel, transfer: ITransfer) => void;
  onDone: () => void;
}

/** The wizard: four steps over one form, then the create request. */
export function CreateWizard(props: IWizardProps): JSX.Element {
  const trans = useTrans();
  const titles = useStepTitles();
  const { model, actions, initialPath, initialTarget, initialSpec, transfer } =
    props;
  const { health, error: healthError, retry } = useHealth(model);
  const takenNames = useExperimentNames(model);
  const startStep = React.useCallback(
    (known: Health | null): Step =>
      initialSpec
        ? 'review'
        : initialStep(
            { path: initialPath, target: initialTarget },
            !!known?.features.s3
          ),
    [initialSpec, initialPath, initialTarget]
  );
  const [state, dispatch] = React.useReducer(wizardReducer, null, () =>
    transfer
      ? initialWizardState(transfer.form, 'data', false)
      : initialWizardState(
          initialSpec
            ? formFromSpec(initialSpec)
            : emptyForm({
                input_uri: initialPath ?? '',
                target: initialTarget ?? ''
              }),
          startStep(model.healthValue),
          !!initialSpec
        )
  );
  const { form, step, touched, attempted, serverErrors, creating } = state;
  const headingRef = React.useRef<HTMLHeadingElement>(null);

  const onPreviewed = React.useCallback(
    (preview: DatasetPreview, uri: string) =>
      dispatch({
        type: 'previewed',
        uri,
        columns: preview.columns.map(c => c.name),
        takenNames
      }),
    [takenNames]
  );
  const preview = useDatasetPreview(model, onPreviewed);
  const runPreview = preview.run;

  const s3 = !!health?.features.s3;
  const columns = React.useMemo(
    () =>
      preview.preview && preview.uri === form.input_uri.trim()
        ? preview.preview.columns.map(c => c.name)
        : null,
    [preview.preview, preview.uri, form.input_uri]
  );
  const context: IValidationContext = React.useMemo(
    () => ({
      columns,
      s3,
      metricsByProblemType: (health?.defaults.metrics_by_problem_type ??
        {}) as Partial<Record<ProblemType, ObjectiveMetric[]>>,
      algorithmsByMode: health?.defaults.algorithms_by_training_mode,
      takenNames
    }),
    [columns, s3, health, takenNames]
  );
  const clientErrors = React.useMemo(
    () => validateForm(form, context, trans),
    [form, context, trans]
  );
  const request = React.useMemo(
    () => checkRequest(form, context, clientErrors),
    [form, context, clientErrors]
  );
  const check = useServerCheck({
    model,
    request,
    active: step === 'target' || step === 'review',
    immediate: step === 'review',
    trans
  });
  const checkErrs = check.errors;

  // A forecasting form's series preview, once its fields are valid; its errors (the
  // data cannot be forecast as set) block Create like the server check's.
  const seriesAsk = React.useMemo(
    () => seriesRequest(form, columns, clientErrors),
    [form, columns, clientErrors]
  );
  const series = useSeriesPreview(model, seriesAsk);
  const seriesErrs = React.useMemo(
    () => seriesErrors(series, seriesAsk, trans),
    [series, seriesAsk, trans]
  );

  // "Run on SageMaker" opened this wizard: upload the files, read the training
  // file's preview from S3, then land on the review (or the first step to fix).
  const uploads = useTransfer(model, transfer, !!health, uploaded => {
    dispatch({ type: 'update', patch: { [uploaded.field]: uploaded.uri } });
    if (uploaded.field === 'input_uri') {
      runPreview(uploaded.uri, '');
    }
  });
  const landing = React.useRef(!!transfer);
  React.useEffect(() => {
    if (!landing.current || !uploads.finished || !columns) {
      return;
    }
    landing.current = false;
    const first = firstStepWithErrors(clientErrors);
    dispatch({ type: 'goTo', step: first ?? 'review' });
  }, [uploads.finished, columns, clientErrors]);

  // Once health is known: preview the initial file, and (when the wizard opened
  // before the first health answer) let the backend decide the first step.
  const started = React.useRef(false);
  const stepKnown = React.useRef(model.healthValue !== null);
  React.useEffect(() => {
    if (!health || started.current) {
      return;
    }
    started.current = true;
    // A transfer's local file is previewed once it is on S3.
    const uploading = transfer?.uploads.some(u => u.field === 'input_uri');
    if (form.input_uri && !uploading) {
      runPreview(form.input_uri, form.delimiter);
    }
    if (!stepKnown.current) {
      stepKnown.current = true;
      dispatch({ type: 'goTo', step: startStep(health) });
    }
  }, [health, form.input_uri, form.delimiter, runPreview, startStep, transfer]);

  const update = (patch: Partial<IExperimentForm>) =>
    dispatch({ type: 'update', patch });
  const touch = (field: string) => dispatch({ type: 'touch', field });

  /** The message to show next to a field: server's first, then client's once touched. */
  const errorOf = (field: FormField): string | undefined => {
    if (serverErrors[field]) {
      return serverErrors[field];
    }
    if (checkErrs[field]) {
      return checkErrs[field];
    }
    if (seriesErrs[field]) {
      return seriesErrs[field];
    }
    const fieldStep = FIELD_STEP[field] ?? 'review';
    if (touched.has(field) || attempted.has(fieldStep)) {
      return clientErrors[field];
    }
    return undefined;
  };

  // Steps -----------------------------------------------------------------------------
  const stepIndex = STEPS.indexOf(step);
  const goTo = (next: Step) => {
    dispatch({ type: 'goTo', step: next });
    window.requestAnimationFrame(() => headingRef.current?.focus());
  };
  const next = () => {
    dispatch({ type: 'attempt', step });
    const errors = errorsOfStep(clientErrors, step);
    if (Object.keys(errors).length) {
      // Focus the first invalid control of this step.
      window.requestAnimationFrame(() => {
        const first = Object.keys(errors)[0];
        document.getElementById(fieldId(first))?.focus();
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

  const create = async () => {
    dispatch({ type: 'attempt' });
    const first = firstStepWithErrors({
      ...clientErrors,
      ...checkErrs,
      ...seriesErrs
    });
    if (first && first !== 'review') {
      goTo(first);
      return;
    }
    dispatch({ type: 'createStarted' });
    try {
      const spec = buildSpec(form, context);
      const experiment = await model.client.createExperiment(spec);
      dispatch({ type: 'created' });
      // The sidebar shows the backend the new experiment is on.
      model.selectBackend(model.backend);
      model.experimentsChanged.emit(experiment.name);
      actions.openExperiment(experiment.name, model.backend);
      props.onDone();
    } catch (error) {
      const byField = fieldErrors(error);
      dispatch({ type: 'createFailed', error, errors: byField });
      const firstField = Object.keys(byField).find(f => f !== '');
      if (firstField) {
        const target = FIELD_STEP[firstField] ?? 'review';
        if (target !== 'review') {
          goTo(target);
        }
      }
    }
  };

  if (healthError) {
    return (
      <div className="jp-AutopilotCreate-body">
        <ErrorMessage
          error={healthError}
          title={trans.__('Cannot reach the Autopilot server extension.')}
          onRetry={retry}
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

  const checks: IChecks = {
    status: check.status,
    columnWarnings: actionableWarnings(check.warnings, form),
    notes: otherWarnings(check.warnings, form),
    error: check.failure,
    result: check.current?.result ?? null,
    nameChecked: !!check.current?.nameChecked,
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
    preview: context.columns ? preview.preview : null,
    seriesPreview: isForecasting(form) ? series : undefined,
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
      {props.onMove && offersSageMaker(health) && (
        <RunOnSageMaker
          model={model}
          health={health}
          form={form}
          tooBig={tooBigHere(preview.error) || tooBigHere(check.failure)}
          disabled={creating}
          onMove={props.onMove}
        />
      )}
      {transfer && <TransferNotice transfer={transfer} uploads={uploads} />}
      {props.sample && <SampleNotice sample={props.sample} s3={s3} />}
      <StepNav
        step={step}
        disabled={creating}
        reachable={target => isReachable(target, step, clientErrors)}
        hasErrors={s =>
          (attempted.has(s) &&
            Object.keys(errorsOfStep({ ...clientErrors, ...serverErrors }, s))
              .length > 0) ||
          Object.keys(errorsOfStep({ ...checkErrs, ...seriesErrs }, s)).length >
            0
        }
        onGoTo={goTo}
      />
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
            previewing={preview.loading}
            previewError={preview.error}
            fullPreview={preview.preview}
            onPreview={runPreview}
          />
        )}
        {step === 'target' && <TargetStep {...stepProps} />}
        {step === 'settings' && <SettingsStep {...stepProps} />}
        {step === 'review' && (
          <ReviewStep
            {...stepProps}
            clientErrors={clientErrors}
            serverErrors={{ ...checkErrs, ...seriesErrs, ...serverErrors }}
            goTo={goTo}
          />
        )}
        {state.createError !== null && (
          <ErrorMessage
            error={state.createError}
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
