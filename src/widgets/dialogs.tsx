import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  Button,
  closeIcon,
  HTMLSelect,
  InputGroup
} from '@jupyterlab/ui-components';
import * as React from 'react';

import type {
  ArtifactDeployRequest,
  Candidate,
  CleanupItem,
  CleanupPlan,
  CleanupResult,
  DeployRequest,
  Endpoint,
  Health
} from '../api/types';
import {
  ButtonIcon,
  describedBy,
  ErrorMessage,
  Field,
  Loading,
  Notice,
  ProgressBar,
  StatusBadge,
  TransContext,
  useNow,
  useTrans
} from '../common/components';
import { DryRunRequests } from '../common/DryRunRequests';
import {
  elapsedSeconds,
  formatBytes,
  formatDuration,
  formatMetric,
  formatPercent
} from '../format';
import { isDryRun } from '../logic/dryRun';
import { deployExclusions } from '../logic/endpoints';
import { fieldErrors } from '../logic/errors';
import { monitoringSupported } from '../monitoring/drift';
import { nameProblem, suggestEndpointName } from '../logic/names';
import { isEndpointBusy } from '../logic/status';
import {
  addVariantPick,
  artifactEndpointName,
  artifactProblem,
  defaultVariantPicks,
  IVariantPick,
  MAX_VARIANTS,
  MIN_VARIANTS,
  pickShares,
  rankedCandidates,
  removeVariantPick,
  variantSpecs,
  variantsSupported
} from '../logic/variants';
import { AutopilotModel } from '../model';

// Deploy ---------------------------------------------------------------------------------

/** How an endpoint is hosted on SageMaker (ignored by the local backend). */
interface IHostingForm {
  hosting: 'instance' | 'serverless';
  instanceType: string;
  instanceCount: string;
  memorySizeMb: string;
  maxConcurrency: string;
}

/** What the deploy form holds. */
interface IDeployForm extends IHostingForm {
  candidate: string;
  endpointName: string;
  /** Record requests for monitoring (backends with monitoring only). */
  capture?: boolean;
  samplingPercentage?: string;
  /** Split traffic between candidates (production variants) instead of `candidate`. */
  split?: boolean;
  /** The variants when `split` (filled with defaults when first switched on). */
  variants?: IVariantPick[];
  /** The experiment ran in a VPC (its models cannot be served serverless). */
  inVpc?: boolean;
}

/** An endpoint name's problem (SageMaker's rule), in `errors.endpoint_name`. */
function checkEndpointName(
  name: string,
  errors: Record<string, string>,
  trans: Pick<TranslationBundle, '__'>
): void {
  const nameError = nameProblem(name.trim(), 63, trans.__('endpoint'), trans);
  if (nameError) {
    errors.endpoint_name = nameError;
  }
}

/**
 * The hosting fields of a deploy request (instance type and count, or serverless);
 * problems go to `errors`. Without AWS (local backend): one local process.
 */
function hostingRequest(
  form: IHostingForm,
  health: Pick<Health, 'features'>,
  trans: Pick<TranslationBundle, '__'>,
  errors: Record<string, string>
): Pick<DeployRequest, 'instance_type' | 'instance_count' | 'serverless'> {
  const aws = health.features.s3;
  let count = 1;
  if (aws && form.hosting === 'instance') {
    count = Number(form.instanceCount);
    if (!Number.isInteger(count) || count < 1 || count > 10) {
      errors.instance_count = trans.__('Enter a whole number from 1 to 10.');
    }
    if (!form.instanceType) {
      errors.instance_type = trans.__('Choose an instance type.');
    }
  }
  let serverless: DeployRequest['serverless'] = null;
  if (aws && form.hosting === 'serverless') {
    const memory = Number(form.memorySizeMb);
    const concurrency = Number(form.maxConcurrency);
    if (![1024, 2048, 3072, 4096, 5120, 6144].includes(memory)) {
      errors.serverless = trans.__(
        'Memory is 1024 to 6144 MB, in steps of 1024.'
      );
    } else if (
      !Number.isInteger(concurrency) ||
      concurrency < 1 ||
      concurrency > 200
    ) {
      errors.serverless = trans.__(
        'Max concurrency is a whole number from 1 to 200.'
      );
    }
    serverless = { memory_size_mb: memory, max_concurrency: concurrency };
  }
  return {
    instance_type:
      aws && form.hosting === 'instance' ? form.instanceType : null,
    instance_count: aws && form.hosting === 'instance' ? count : 1,
    serverless
  };
}

/** The deploy request for a form, or an error message per field. */
export function deployRequest(
  form: IDeployForm,
  health: Pick<Health, 'features'>,
  trans: Pick<TranslationBundle, '__'>
): { request: DeployRequest | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  checkEndpointName(form.endpointName, errors, trans);
  const hosting = hostingRequest(form, health, trans, errors);
  // Options serverless endpoints exclude are off (and disabled in the form).
  const excluded = deployExclusions(
    hosting.serverless ? 'serverless' : 'instance',
    !!form.inVpc,
    trans
  );
  if (hosting.serverless && excluded.serverless) {
    errors.serverless = excluded.serverless;
  }
  let dataCapture: DeployRequest['data_capture'] = null;
  if (form.capture && monitoringSupported(health) && !excluded.capture) {
    const sampling = Number(form.samplingPercentage ?? '100');
    if (!Number.isInteger(sampling) || sampling < 1 || sampling > 100) {
      errors.data_capture = trans.__('Enter a whole percentage from 1 to 100.');
    }
    dataCapture = { enabled: true, sampling_percentage: sampling };
  }
  const split = !!form.split && variantsSupported(health) && !excluded.split;
  let variants: DeployRequest['variants'] = null;
  if (split) {
    const checked = variantSpecs(form.variants ?? [], trans);
    Object.assign(errors, checked.errors);
    variants = checked.variants;
  }
  if (Object.keys(errors).length) {
    return { request: null, errors };
  }
  const common = {
    endpoint_name: form.endpointName.trim(),
    ...hosting,
    // The server answers with what the candidate returns: label and probability for
    // classification, the predicted value for regression.
    inference_response_keys: null,
    data_capture: dataCapture
  };
  if (split) {
    // `variants` instead of `candidate`: the server refuses both.
    return {
      request: { ...common, variants } as Omit<
        DeployRequest,
        'candidate'
      > as DeployRequest,
      errors
    };
  }
  return {
    request: {
      candidate: form.candidate || null,
      ...common,
      variants: null
    },
    errors
  };
}

/**
 * The deploy dialog's traffic split: 2 to 5 rows of candidate, weight (with the
 * share it gives) and variant name.
 */
function VariantPicker(props: {
  picks: IVariantPick[];
  candidates: Candidate[];
  errors: Record<string, string>;
  serverError?: string;
  onChange: (picks: IVariantPick[]) => void;
}): JSX.Element {
  const trans = useTrans();
  const { picks, errors } = props;
  const ranked = rankedCandidates(props.candidates);
  const shares = pickShares(picks);
  const set = (index: number, patch: Partial<IVariantPick>) =>
    props.onChange(picks.map((p, i) => (i === index ? { ...p, ...patch } : p)));
  const rowErrors = picks.flatMap((_, i) =>
    (['candidate', 'weight', 'name'] as const)
      .map(field => errors[`variants.${i}.${field}`])
      .filter(Boolean)
      .map(message => trans.__('Variant %1: %2', i + 1, message))
  );
  const local = [...(errors.variants ? [errors.variants] : []), ...rowErrors];
  const messages = [
    ...local,
    ...(props.serverError ? [props.serverError] : [])
  ];
  const errorId = 'jp-autopilot-deploy-variants-error';
  const invalid = (i: number, field: string) =>
    errors[`variants.${i}.${field}`] ? true : undefined;
  return (
    <fieldset
      className={`jp-Autopilot-fieldset jp-AutopilotDeploy-variants${
        local.length ? ' jp-mod-error' : ''
      }`}
    >
      <legend>{trans.__('Production variants')}</legend>
      <p className="jp-Autopilot-fieldHelp">
        {trans.__(
          'Each request goes to one variant, chosen by weight. Only candidates that kept a model (the top ones) are listed.'
        )}
      </p>
      <table
        className="jp-AutopilotDeploy-variantsTable"
        aria-label={trans.__('Traffic split')}
      >
        <thead>
          <tr>
            <th scope="col">{trans.__('Candidate')}</th>
            <th scope="col">{trans.__('Weight')}</th>
            <th scope="col" className="jp-mod-numeric">
              {trans.__('Share')}
            </th>
            <th scope="col">{trans.__('Variant name')}</th>
            <th scope="col">
              <span className="jp-Autopilot-srOnly">{trans.__('Remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {picks.map((pick, i) => (
            <tr key={i}>
              <td>
                <HTMLSelect
                  aria-label={trans.__('Candidate of variant %1', i + 1)}
                  aria-invalid={invalid(i, 'candidate')}
                  aria-describedby={errorId}
                  className={invalid(i, 'candidate') ? 'jp-mod-error' : ''}
                  value={pick.candidate}
                  onChange={e => set(i, { candidate: e.target.value })}
                  options={ranked.map(c => ({
                    value: c.name,
                    label: `${c.is_best ? '★ ' : ''}${c.name} · ${formatMetric(
                      c.objective_value
                    )}`
                  }))}
                />
              </td>
              <td>
                <input
                  className={`jp-mod-styled jp-AutopilotDeploy-weight${
                    invalid(i, 'weight') ? ' jp-mod-error' : ''
                  }`}
                  type="number"
                  min={0}
                  max={1000}
                  step="any"
                  aria-label={trans.__('Weight of variant %1', i + 1)}
                  aria-invalid={invalid(i, 'weight')}
                  aria-describedby={errorId}
                  value={pick.weight}
                  onChange={e => set(i, { weight: e.target.value })}
                />
              </td>
              <td className="jp-mod-numeric jp-AutopilotDeploy-share">
                {shares[i] === null ? '–' : formatPercent(shares[i])}
              </td>
              <td>
                <input
                  className={`jp-mod-styled jp-AutopilotDeploy-variantName${
                    invalid(i, 'name') ? ' jp-mod-error' : ''
                  }`}
                  aria-label={trans.__('Name of variant %1', i + 1)}
                  aria-invalid={invalid(i, 'name')}
                  aria-describedby={errorId}
                  value={pick.name}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={e => set(i, { name: e.target.value })}
                />
              </td>
              <td>
                <Button
                  minimal
                  small
                  aria-label={trans.__('Remove variant %1', i + 1)}
                  title={trans.__('Remove')}
                  disabled={picks.length <= MIN_VARIANTS}
                  onClick={() => props.onChange(removeVariantPick(picks, i))}
                >
                  <ButtonIcon icon={closeIcon} />
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="jp-Autopilot-inline">
        <Button
          small
          disabled={
            picks.length >= MAX_VARIANTS || picks.length >= ranked.length
          }
          onClick={() =>
            props.onChange(addVariantPick(picks, props.candidates))
          }
        >
          <ButtonIcon icon={addIcon} />
          {trans.__('Add a variant')}
        </Button>
        <span className="jp-Autopilot-muted">
          {trans.__('%1 to %2 variants', MIN_VARIANTS, MAX_VARIANTS)}
        </span>
      </div>
      <div id={errorId} className="jp-Autopilot-fieldError" aria-live="polite">
        {messages.map((m, i) => (
          <div key={i}>{m}</div>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * A dialog body that holds a form's value: the React view reports every change, and
 * the dialog reads the last one when a button is pressed.
 */
class FormBody<T, P extends { trans: TranslationBundle; initial: T }>
  extends ReactWidget
  implements Dialog.IBodyWidget<T>
{
  constructor(
    private props: P,
    private View: (props: P & { onChange: (form: T) => void }) => JSX.Element
  ) {
    super();
    this.form = props.initial;
    this.addClass('jp-AutopilotDialog');
  }

  getValue(): T {
    return this.form;
  }

  protected render(): JSX.Element {
    const View = this.View;
    return (
      <TransContext.Provider value={this.props.trans}>
        <View
          {...this.props}
          onChange={form => {
            this.form = form;
          }}
        />
      </TransContext.Provider>
    );
  }

  private form: T;
}

/** Instance type and count, or serverless memory and concurrency (SageMaker). */
function HostingFields(props: {
  idPrefix: string;
  radioName: string;
  form: IHostingForm;
  health: Health;
  errors: Record<string, string>;
  serverFields: Record<string, string>;
  update: (patch: Partial<IHostingForm>) => void;
  /** Why serverless hosting is not offered (null: it is). */
  serverlessExcluded?: string | null;
}): JSX.Element {
  const trans = useTrans();
  const { idPrefix, form, errors, serverFields, update } = props;
  return (
    <>
      <fieldset className="jp-Autopilot-fieldset">
        <legend>{trans.__('Hosting')}</legend>
        <label className="jp-Autopilot-radio">
          <input
            type="radio"
            name={props.radioName}
            checked={form.hosting === 'instance'}
            onChange={() => update({ hosting: 'instance' })}
          />
          {trans.__('Real-time instances')}
        </label>
        {props.health.features.serverless && (
          <label className="jp-Autopilot-radio">
            <input
              type="radio"
              name={props.radioName}
              checked={form.hosting === 'serverless'}
              disabled={!!props.serverlessExcluded}
              title={props.serverlessExcluded ?? undefined}
              onChange={() => update({ hosting: 'serverless' })}
            />
            {trans.__('Serverless (pay per request)')}
            {props.serverlessExcluded && (
              <span className="jp-Autopilot-muted">
                {' '}
                ({props.serverlessExcluded})
              </span>
            )}
          </label>
        )}
      </fieldset>
      {form.hosting === 'instance' ? (
        <div className="jp-Autopilot-grid2">
          <Field
            id={`${idPrefix}-instance-type`}
            label={trans.__('Instance type')}
            error={errors.instance_type ?? serverFields.instance_type}
          >
            <HTMLSelect
              id={`${idPrefix}-instance-type`}
              value={form.instanceType}
              onChange={e => update({ instanceType: e.target.value })}
              options={(props.health.features.instance_types ?? []).map(t => ({
                value: t,
                label: t
              }))}
            />
          </Field>
          <Field
            id={`${idPrefix}-count`}
            label={trans.__('Instance count')}
            error={errors.instance_count ?? serverFields.instance_count}
          >
            <InputGroup
              id={`${idPrefix}-count`}
              type="number"
              min={1}
              max={10}
              value={form.instanceCount}
              className={errors.instance_count ? 'jp-mod-error' : undefined}
              onChange={e =>
                update({
                  instanceCount: (e.target as HTMLInputElement).value
                })
              }
            />
          </Field>
        </div>
      ) : (
        <div className="jp-Autopilot-grid2">
          <Field
            id={`${idPrefix}-memory`}
            label={trans.__('Memory (MB)')}
            error={errors.serverless ?? serverFields.serverless}
          >
            <HTMLSelect
              id={`${idPrefix}-memory`}
              value={form.memorySizeMb}
              onChange={e => update({ memorySizeMb: e.target.value })}
              options={['1024', '2048', '3072', '4096', '5120', '6144']}
            />
          </Field>
          <Field
            id={`${idPrefix}-concurrency`}
            label={trans.__('Max concurrency')}
          >
            <InputGroup
              id={`${idPrefix}-concurrency`}
              type="number"
              min={1}
              max={200}
              value={form.maxConcurrency}
              onChange={e =>
                update({
                  maxConcurrency: (e.target as HTMLInputElement).value
                })
              }
            />
          </Field>
        </div>
      )}
      <Notice kind="info">
        {trans.__(
          'A SageMaker endpoint is billed per hour while it runs; clean it up when you are done.'
        )}
      </Notice>
    </>
  );
}

function DeployFormView(props: {
  health: Health;
  candidates: Candidate[];
  objectiveMetric: string | null;
  initial: IDeployForm;
  serverError: unknown;
  onChange: (form: IDeployForm) => void;
}): JSX.Element {
  const trans = useTrans();
  const [form, setForm] = React.useState(props.initial);
  const [touched, setTouched] = React.useState(false);
  const serverFields = fieldErrors(props.serverError);
  const { errors } = deployRequest(form, props.health, trans);
  const update = (patch: Partial<IDeployForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    setTouched(true);
    props.onChange(next);
  };
  const invalid = Object.keys(errors).length > 0;
  const rootRef = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    // The dialog disables its Deploy button while a field is marked invalid, but
    // only re-checks on input events, which it sees before React re-renders.
    rootRef.current?.dispatchEvent(new Event('input', { bubbles: true }));
  }, [invalid]);
  const aws = props.health.features.s3;
  const nameError =
    (touched ? errors.endpoint_name : undefined) ?? serverFields.endpoint_name;
  const nameHelp = trans.__(
    '1–63 letters, digits and hyphens (SageMaker’s naming rule).'
  );
  const completed = props.candidates.filter(
    c => c.status === 'Completed' && c.deployable
  );
  const excluded = deployExclusions(
    aws ? form.hosting : 'instance',
    !!form.inVpc,
    trans
  );
  const canSplit = variantsSupported(props.health);
  const split = canSplit && !!form.split && !excluded.split;
  return (
    <div className="jp-AutopilotDialog-body" ref={rootRef}>
      {props.serverError !== null && props.serverError !== undefined && (
        <ErrorMessage
          error={props.serverError}
          title={trans.__('The model was not deployed.')}
        />
      )}
      {canSplit && (
        <label className="jp-Autopilot-checkbox jp-AutopilotDeploy-split">
          <input
            type="checkbox"
            checked={split}
            disabled={completed.length < 2 || !!excluded.split}
            title={excluded.split ?? undefined}
            onChange={e =>
              update({
                split: e.target.checked,
                variants:
                  form.variants ??
                  defaultVariantPicks(props.candidates, form.candidate)
              })
            }
          />
          {trans.__('Split traffic between candidates (A/B test)')}
          {excluded.split && (
            <span className="jp-Autopilot-muted"> ({excluded.split})</span>
          )}
        </label>
      )}
      {split ? (
        <VariantPicker
          picks={form.variants ?? []}
          candidates={props.candidates}
          errors={touched || props.serverError ? errors : {}}
          serverError={serverFields.variants}
          onChange={variants => update({ variants })}
        />
      ) : (
        <Field
          id="jp-autopilot-deploy-candidate"
          label={trans.__('Candidate')}
          error={serverFields.candidate}
        >
          <HTMLSelect
            id="jp-autopilot-deploy-candidate"
            value={form.candidate}
            onChange={e => update({ candidate: e.target.value })}
            options={completed.map(c => ({
              value: c.name,
              label: `${c.is_best ? '★ ' : ''}${c.name} · ${c.algorithm} · ${props.objectiveMetric ?? ''} ${formatMetric(
                c.objective_value
              )}${c.is_best ? ` (${trans.__('best')})` : ''}`
            }))}
          />
        </Field>
      )}
      <Field
        id="jp-autopilot-deploy-name"
        label={trans.__('Endpoint name')}
        help={nameHelp}
        error={nameError}
      >
        <InputGroup
          id="jp-autopilot-deploy-name"
          value={form.endpointName}
          className={errors.endpoint_name ? 'jp-mod-error' : undefined}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={describedBy(
            'jp-autopilot-deploy-name',
            nameHelp,
            nameError
          )}
          onChange={e =>
            update({ endpointName: (e.target as HTMLInputElement).value })
          }
          autoComplete="off"
        />
      </Field>
      {aws ? (
        <HostingFields
          idPrefix="jp-autopilot-deploy"
          radioName="jp-autopilot-hosting"
          serverlessExcluded={excluded.serverless}
          form={form}
          health={props.health}
          errors={errors}
          serverFields={serverFields}
          update={update}
        />
      ) : (
        <Notice kind="info">
          {trans.__(
            'The model is served by a process on this Jupyter server; nothing is billed.'
          )}
        </Notice>
      )}
      {monitoringSupported(props.health) && (
        <div className="jp-Autopilot-inline jp-AutopilotDeploy-capture">
          <label className="jp-Autopilot-checkbox">
            <input
              type="checkbox"
              checked={!!form.capture && !excluded.capture}
              disabled={!!excluded.capture}
              title={excluded.capture ?? undefined}
              onChange={e => update({ capture: e.target.checked })}
            />
            {trans.__('Capture data for monitoring')}
            {excluded.capture && (
              <span className="jp-Autopilot-muted"> ({excluded.capture})</span>
            )}
          </label>
          <label
            className="jp-AutopilotDeploy-sampling"
            htmlFor="jp-autopilot-deploy-sampling"
          >
            {trans.__('Sampling (%)')}
          </label>
          <input
            id="jp-autopilot-deploy-sampling"
            className={`jp-mod-styled${errors.data_capture ? ' jp-mod-error' : ''}`}
            type="number"
            min={1}
            max={100}
            step={1}
            disabled={!form.capture || !!excluded.capture}
            value={form.samplingPercentage ?? '100'}
            aria-invalid={errors.data_capture ? true : undefined}
            aria-describedby="jp-autopilot-deploy-sampling-error"
            onChange={e => update({ samplingPercentage: e.target.value })}
          />
        </div>
      )}
      {monitoringSupported(props.health) && (
        <div
          id="jp-autopilot-deploy-sampling-error"
          className="jp-Autopilot-fieldError"
          aria-live="polite"
        >
          {errors.data_capture ?? serverFields.data_capture ?? ''}
        </div>
      )}
      {serverFields[''] && (
        <div className="jp-Autopilot-fieldError">{serverFields['']}</div>
      )}
    </div>
  );
}

/**
 * Ask which candidate to deploy and how, deploy it, and follow the endpoint
 * until it is in service. Resolves with the endpoint name (or null if cancelled).
 */
export async function deployWithDialog(options: {
  model: AutopilotModel;
  trans: TranslationBundle;
  experiment: string;
  objectiveMetric: string | null;
  candidates: Candidate[];
  candidate?: string;
  /** The experiment ran in a VPC: serverless hosting is not offered. */
  inVpc?: boolean;
  onOpenEndpoint: (name: string) => void;
}): Promise<string | null> {
  const { model, trans } = options;
  const health = await model.health();
  const existing = await existingEndpointNames(model);
  const best =
    options.candidates.find(c => c.is_best) ??
    options.candidates.find(c => c.status === 'Completed');
  const form: IDeployForm = {
    candidate: options.candidate ?? best?.name ?? '',
    endpointName: suggestEndpointName(options.experiment, existing),
    hosting: 'instance',
    instanceType: health.features.instance_types?.[0] ?? '',
    instanceCount: '1',
    memorySizeMb: '2048',
    maxConcurrency: '5',
    capture: false,
    samplingPercentage: '100',
    inVpc: !!options.inVpc
  };
  return submitDeployForm({
    model,
    trans,
    title: trans.__('Deploy a model from %1', options.experiment),
    focusNodeSelector: '#jp-autopilot-deploy-name',
    initial: form,
    body: (initial, serverError) =>
      new FormBody(
        {
          trans,
          health,
          candidates: options.candidates,
          objectiveMetric: options.objectiveMetric,
          initial,
          serverError
        },
        DeployFormView
      ),
    request: current => deployRequest(current, health, trans).request,
    send: request => model.client.deploy(options.experiment, request),
    onOpenEndpoint: options.onOpenEndpoint
  });
}

/**
 * The loop both deploy dialogs run: show the form (with the last server error), build
 * the request, send it; a dry run shows its requests, a real deploy is followed until
 * it is in service. Resolves with the endpoint name, or null if cancelled.
 */
async function submitDeployForm<F, R>(options: {
  model: AutopilotModel;
  trans: TranslationBundle;
  title: string;
  focusNodeSelector: string;
  initial: F;
  body: (form: F, serverError: unknown) => Dialog.IBodyWidget<F>;
  request: (form: F) => R | null | undefined;
  send: (request: R) => Promise<Endpoint>;
  onOpenEndpoint: (name: string) => void;
}): Promise<string | null> {
  const { model, trans } = options;
  let form = options.initial;
  let serverError: unknown = null;
  for (;;) {
    const result = await showDialog({
      title: options.title,
      body: options.body(form, serverError),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Deploy') })
      ],
      focusNodeSelector: options.focusNodeSelector
    });
    if (!result.button.accept || !result.value) {
      return null;
    }
    form = result.value;
    const request = options.request(form);
    if (!request) {
      serverError = new Error(trans.__('Fix the highlighted fields.'));
      continue;
    }
    try {
      const endpoint = await options.send(request);
      if (isDryRun(endpoint.backend_details)) {
        void showDryRun(trans, endpoint);
        return null;
      }
      model.endpointsChanged.emit(endpoint.name);
      void followDeployment({
        model,
        trans,
        endpoint,
        onOpenEndpoint: options.onOpenEndpoint
      });
      return endpoint.name;
    } catch (error) {
      serverError = error;
    }
  }
}

/** Names of the existing endpoints (to suggest a free one); none if listing fails. */
async function existingEndpointNames(model: AutopilotModel): Promise<string[]> {
  try {
    return (await model.client.listEndpoints()).endpoints.map(e => e.name);
  } catch {
    return [];
  }
}

// Deploy an exported model (sagemaker backend) ------------------------------------------

/** What the "Deploy exported model" form holds. */
interface IArtifactForm extends IHostingForm {
  artifact: string;
  endpointName: string;
  /** Whether the user typed the endpoint name (else it follows the artifact). */
  nameEdited?: boolean;
  /** '' = SageMaker's scikit-learn image for the region. */
  imageUri: string;
}

/** The artifact deploy request for a form, or an error message per field. */
export function artifactDeployRequest(
  form: IArtifactForm,
  health: Pick<Health, 'features'>,
  trans: Pick<TranslationBundle, '__'>
): { request: ArtifactDeployRequest | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const artifact = artifactProblem(form.artifact, trans);
  if (artifact) {
    errors.artifact = artifact;
  }
  checkEndpointName(form.endpointName, errors, trans);
  const image = form.imageUri.trim();
  if (image && /\s/.test(image)) {
    errors.image_uri = trans.__('An image URI has no spaces.');
  }
  const hosting = hostingRequest(form, health, trans, errors);
  if (Object.keys(errors).length) {
    return { request: null, errors };
  }
  return {
    request: {
      artifact: form.artifact.trim(),
      endpoint_name: form.endpointName.trim(),
      image_uri: image || null,
      ...hosting,
      inference_response_keys: ['predicted_label', 'probability']
    },
    errors
  };
}

function ArtifactFormView(props: {
  health: Health;
  initial: IArtifactForm;
  existing: string[];
  serverError: unknown;
  pickFile?: (title: string, extensions?: string[]) => Promise<string | null>;
  onChange: (form: IArtifactForm) => void;
}): JSX.Element {
  const trans = useTrans();
  const [form, setForm] = React.useState(props.initial);
  const [touched, setTouched] = React.useState<Record<string, boolean>>({});
  const serverFields = fieldErrors(props.serverError);
  const { errors } = artifactDeployRequest(form, props.health, trans);
  const update = (patch: Partial<IArtifactForm>) => {
    let next = { ...form, ...patch };
    if (patch.artifact !== undefined && !next.nameEdited) {
      next = {
        ...next,
        endpointName: artifactEndpointName(next.artifact, props.existing)
      };
    }
    setForm(next);
    setTouched(t => ({
      ...t,
      ...Object.fromEntries(Object.keys(patch).map(k => [k, true]))
    }));
    props.onChange(next);
  };
  const rootRef = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    // Let the dialog re-check its Deploy button once the fields show their
    // errors (see DeployFormView); here errors show per touched field.
    rootRef.current?.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const shown = (key: string, formKey: keyof IArtifactForm) =>
    (touched[formKey] || props.serverError ? errors[key] : undefined) ??
    serverFields[key];
  const artifactError = shown('artifact', 'artifact');
  const nameError = shown('endpoint_name', 'endpointName');
  const imageError = shown('image_uri', 'imageUri');
  const artifactHelp = trans.__(
    'A model.tar.gz written by Export for SageMaker (on a JupyterLab with the local backend), under the Jupyter root or on S3.'
  );
  const nameHelp = trans.__(
    '1–63 letters, digits and hyphens (SageMaker’s naming rule).'
  );
  const imageHelp = trans.__(
    'Optional. Default: SageMaker’s scikit-learn inference image for the region and the version the export names.'
  );
  return (
    <div className="jp-AutopilotDialog-body" ref={rootRef}>
      {props.serverError !== null && props.serverError !== undefined && (
        <ErrorMessage
          error={props.serverError}
          title={trans.__('The model was not deployed.')}
        />
      )}
      <Field
        id="jp-autopilot-artifact-path"
        label={trans.__('Exported model (path or S3 URI)')}
        help={artifactHelp}
        error={artifactError}
      >
        <div className="jp-Autopilot-inline">
          <InputGroup
            id="jp-autopilot-artifact-path"
            value={form.artifact}
            placeholder="autopilot/exports/<experiment>/<candidate>/model.tar.gz"
            className={artifactError ? 'jp-mod-error' : undefined}
            aria-invalid={artifactError ? true : undefined}
            aria-describedby={describedBy(
              'jp-autopilot-artifact-path',
              artifactHelp,
              artifactError
            )}
            onChange={e =>
              update({ artifact: (e.target as HTMLInputElement).value })
            }
            autoComplete="off"
            spellCheck={false}
          />
          {props.pickFile && (
            <Button
              onClick={async () => {
                const path = await props.pickFile?.(
                  trans.__('Choose an exported model.tar.gz'),
                  ['.tar.gz']
                );
                if (path) {
                  update({ artifact: path });
                }
              }}
            >
              {trans.__('Browse…')}
            </Button>
          )}
        </div>
      </Field>
      <Field
        id="jp-autopilot-artifact-name"
        label={trans.__('Endpoint name')}
        help={nameHelp}
        error={nameError}
      >
        <InputGroup
          id="jp-autopilot-artifact-name"
          value={form.endpointName}
          className={nameError ? 'jp-mod-error' : undefined}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={describedBy(
            'jp-autopilot-artifact-name',
            nameHelp,
            nameError
          )}
          onChange={e =>
            update({
              endpointName: (e.target as HTMLInputElement).value,
              nameEdited: true
            })
          }
          autoComplete="off"
        />
      </Field>
      <HostingFields
        idPrefix="jp-autopilot-artifact"
        radioName="jp-autopilot-artifact-hosting"
        form={form}
        health={props.health}
        errors={errors}
        serverFields={serverFields}
        update={update}
      />
      <details className="jp-Autopilot-details">
        <summary>{trans.__('Container image')}</summary>
        <Field
          id="jp-autopilot-artifact-image"
          label={trans.__('Image URI')}
          help={imageHelp}
          error={imageError}
        >
          <InputGroup
            id="jp-autopilot-artifact-image"
            value={form.imageUri}
            className={imageError ? 'jp-mod-error' : undefined}
            aria-invalid={imageError ? true : undefined}
            aria-describedby={describedBy(
              'jp-autopilot-artifact-image',
              imageHelp,
              imageError
            )}
            onChange={e =>
              update({ imageUri: (e.target as HTMLInputElement).value })
            }
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
      </details>
      {serverFields[''] && (
        <div className="jp-Autopilot-fieldError">{serverFields['']}</div>
      )}
    </div>
  );
}

/**
 * Ask for an exported model.tar.gz and how to host it, deploy it (POST endpoints)
 * and follow the endpoint. Resolves with the endpoint name (or null if cancelled).
 */
export async function deployArtifactWithDialog(options: {
  model: AutopilotModel;
  trans: TranslationBundle;
  artifact?: string;
  pickFile?: (title: string, extensions?: string[]) => Promise<string | null>;
  onOpenEndpoint: (name: string) => void;
}): Promise<string | null> {
  const { model, trans } = options;
  const health = await model.health();
  const existing = await existingEndpointNames(model);
  const artifact = options.artifact ?? '';
  const form: IArtifactForm = {
    artifact,
    endpointName: artifactEndpointName(artifact, existing),
    imageUri: '',
    hosting: 'instance',
    instanceType: health.features.instance_types?.[0] ?? '',
    instanceCount: '1',
    memorySizeMb: '2048',
    maxConcurrency: '5'
  };
  return submitDeployForm({
    model,
    trans,
    title: trans.__('Deploy an exported model'),
    focusNodeSelector: '#jp-autopilot-artifact-path',
    initial: form,
    body: (initial, serverError) =>
      new FormBody(
        {
          trans,
          health,
          initial,
          existing,
          serverError,
          pickFile: options.pickFile
        },
        ArtifactFormView
      ),
    request: current => artifactDeployRequest(current, health, trans).request,
    send: request => model.client.deployArtifact(request),
    onOpenEndpoint: options.onOpenEndpoint
  });
}

class DeployProgressBody extends ReactWidget {
  constructor(
    private props: {
      trans: TranslationBundle;
      model: AutopilotModel;
      endpoint: Endpoint;
    }
  ) {
    super();
    this.addClass('jp-AutopilotDialog');
  }

  protected render(): JSX.Element {
    return (
      <TransContext.Provider value={this.props.trans}>
        <DeployProgress
          model={this.props.model}
          initial={this.props.endpoint}
        />
      </TransContext.Provider>
    );
  }
}

/** Polls the endpoint about every second until it is in service or failed. */
function DeployProgress(props: {
  model: AutopilotModel;
  initial: Endpoint;
}): JSX.Element {
  const trans = useTrans();
  const [endpoint, setEndpoint] = React.useState(props.initial);
  const [error, setError] = React.useState<unknown>(null);
  const busy = isEndpointBusy(endpoint.status);
  const now = useNow(busy);
  React.useEffect(() => {
    if (!busy) {
      props.model.endpointsChanged.emit(endpoint.name);
      return;
    }
    const timer = window.setTimeout(
      async () => {
        try {
          setEndpoint(await props.model.client.getEndpoint(endpoint.name));
          setError(null);
        } catch (e) {
          setError(e);
          // Try again a little later; the timer re-arms through the state change.
          setEndpoint(current => ({ ...current }));
        }
      },
      error ? 3000 : 1000
    );
    return () => window.clearTimeout(timer);
  }, [endpoint, busy]);
  const elapsed = elapsedSeconds(
    endpoint.created_at,
    busy ? null : endpoint.updated_at,
    now
  );
  return (
    <div className="jp-AutopilotDialog-body" aria-live="polite">
      <p>
        {trans.__('Endpoint')} <strong>{endpoint.name}</strong>{' '}
        <StatusBadge status={endpoint.status} />
      </p>
      <p className="jp-Autopilot-muted">
        {endpoint.variants?.length
          ? trans.__(
              'Production variants: %1',
              endpoint.variants
                .map(v => `${v.name} (${v.candidate})`)
                .join(', ')
            )
          : trans.__(
              'Candidate %1 (%2)',
              endpoint.candidate ?? '–',
              endpoint.algorithm ?? '–'
            )}
      </p>
      {busy && (
        <>
          <ProgressBar value={null} label={trans.__('Deploying')} />
          <p>
            {trans.__(
              'Starting the model server… %1',
              elapsed !== null ? formatDuration(elapsed) : ''
            )}
          </p>
        </>
      )}
      {endpoint.status === 'InService' && (
        <Notice kind="success">
          {trans.__(
            'In service. Open the endpoint to send it rows and read predictions.'
          )}
        </Notice>
      )}
      {endpoint.status === 'Failed' && (
        <Notice kind="error" role="alert">
          {endpoint.failure_reason ?? trans.__('The deployment failed.')}
        </Notice>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

class DryRunBody extends ReactWidget {
  constructor(
    private props: {
      trans: TranslationBundle;
      details: Record<string, string> | undefined;
      what: string;
    }
  ) {
    super();
    this.addClass('jp-AutopilotDialog');
  }

  protected render(): JSX.Element {
    return (
      <TransContext.Provider value={this.props.trans}>
        <div className="jp-AutopilotDialog-body">
          <DryRunRequests details={this.props.details} what={this.props.what} />
        </div>
      </TransContext.Provider>
    );
  }
}

/** A deployment in dry-run mode: what would have been sent to AWS. */
async function showDryRun(
  trans: TranslationBundle,
  endpoint: Endpoint
): Promise<void> {
  await showDialog({
    title: trans.__('Dry run: deploying %1', endpoint.name),
    body: new DryRunBody({
      trans,
      details: endpoint.backend_details,
      what: trans.__('Deploying this model')
    }),
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}

async function followDeployment(options: {
  model: AutopilotModel;
  trans: TranslationBundle;
  endpoint: Endpoint;
  onOpenEndpoint: (name: string) => void;
}): Promise<void> {
  const { trans } = options;
  const result = await showDialog({
    title: trans.__('Deploying %1', options.endpoint.name),
    body: new DeployProgressBody(options),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Close') }),
      Dialog.okButton({ label: trans.__('Open endpoint') })
    ]
  });
  if (result.button.accept) {
    options.onOpenEndpoint(options.endpoint.name);
  }
}

// Clean up -----------------------------------------------------------------------------

/** A resource kind as words. */
export function resourceKindLabel(
  kind: CleanupItem['kind'],
  trans: Pick<TranslationBundle, '__'>
): string {
  const labels: Record<string, string> = {
    endpoint: trans.__('Endpoint'),
    endpoint_config: trans.__('Endpoint configuration'),
    model: trans.__('Model'),
    s3_object: trans.__('S3 object'),
    s3_prefix: trans.__('S3 folder'),
    directory: trans.__('Folder'),
    file: trans.__('File'),
    dataset: trans.__('Dataset copy'),
    experiment_record: trans.__('Experiment record')
  };
  return labels[kind] ?? kind;
}

function CleanupItems(props: {
  items: CleanupItem[];
  label: string;
}): JSX.Element {
  const trans = useTrans();
  return (
    <ul className="jp-AutopilotCleanup-items" aria-label={props.label}>
      {props.items.map((item, i) => (
        <li key={`${item.kind}:${item.name}:${i}`}>
          <span className="jp-AutopilotCleanup-kind">
            {resourceKindLabel(item.kind, trans)}
          </span>
          <span className="jp-AutopilotCleanup-name">{item.name}</span>
          <span className="jp-AutopilotCleanup-description">
            {item.description}
            {item.size_bytes ? ` · ${formatBytes(item.size_bytes)}` : ''}
            {item.hourly_cost_usd
              ? ` · ${trans.__('$%1/hour', item.hourly_cost_usd.toFixed(3))}`
              : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

class CleanupPlanBody
  extends ReactWidget
  implements Dialog.IBodyWidget<{ deleteExperiment: boolean } | null>
{
  constructor(
    private props: {
      trans: TranslationBundle;
      model: AutopilotModel;
      experiment: string;
    }
  ) {
    super();
    this.addClass('jp-AutopilotDialog');
  }

  getValue(): { deleteExperiment: boolean } | null {
    return this.ready ? { deleteExperiment: this.deleteExperiment } : null;
  }

  protected render(): JSX.Element {
    return (
      <TransContext.Provider value={this.props.trans}>
        <CleanupPlanView
          {...this.props}
          onReady={() => {
            this.ready = true;
          }}
          onChange={value => {
            this.deleteExperiment = value;
          }}
        />
      </TransContext.Provider>
    );
  }

  private ready = false;
  private deleteExperiment = false;
}

function CleanupPlanView(props: {
  model: AutopilotModel;
  experiment: string;
  onReady: () => void;
  onChange: (deleteExperiment: boolean) => void;
}): JSX.Element {
  const trans = useTrans();
  const [plan, setPlan] = React.useState<CleanupPlan | null>(null);
  const [error, setError] = React.useState<unknown>(null);
  const [deleteExperiment, setDeleteExperiment] = React.useState(false);
  const load = () => {
    setError(null);
    props.model.client.cleanupPlan(props.experiment).then(p => {
      setPlan(p);
      props.onReady();
    }, setError);
  };
  React.useEffect(load, []);
  if (error) {
    return (
      <div className="jp-AutopilotDialog-body">
        <ErrorMessage error={error} onRetry={load} />
      </div>
    );
  }
  if (!plan) {
    return (
      <div className="jp-AutopilotDialog-body">
        <Loading label={trans.__('Listing what the experiment created…')} />
      </div>
    );
  }
  const items: CleanupItem[] = [
    ...plan.items,
    ...(deleteExperiment
      ? [
          {
            kind: 'experiment_record' as const,
            name: props.experiment,
            description: trans.__(
              'The experiment and its leaderboard in the Autopilot panel'
            ),
            size_bytes: null,
            hourly_cost_usd: null
          }
        ]
      : [])
  ];
  const hourly = plan.items.reduce(
    (sum, i) => sum + (i.hourly_cost_usd ?? 0),
    0
  );
  return (
    <div className="jp-AutopilotDialog-body">
      {items.length ? (
        <>
          <p>{trans.__('These will be deleted:')}</p>
          <CleanupItems items={items} label={trans.__('Resources to delete')} />
          {hourly > 0 && (
            <Notice kind="warning">
              {trans.__(
                'These resources cost about $%1 per hour while they run.',
                hourly.toFixed(2)
              )}
            </Notice>
          )}
        </>
      ) : (
        <Notice kind="info">
          {trans.__('Nothing is left to clean up for this experiment.')}
        </Notice>
      )}
      <label className="jp-Autopilot-checkbox">
        <input
          type="checkbox"
          checked={deleteExperiment}
          onChange={e => {
            setDeleteExperiment(e.target.checked);
            props.onChange(e.target.checked);
          }}
        />
        {props.model.healthValue?.features.s3
          ? trans.__(
              'Also forget the experiment here (AWS keeps AutoML jobs, so it stays listed)'
            )
          : trans.__('Also remove the experiment from the list')}
      </label>
    </div>
  );
}

class CleanupRunBody extends ReactWidget {
  constructor(
    private props: {
      trans: TranslationBundle;
      model: AutopilotModel;
      experiment: string;
      deleteExperiment: boolean;
    }
  ) {
    super();
    this.addClass('jp-AutopilotDialog');
  }

  protected render(): JSX.Element {
    return (
      <TransContext.Provider value={this.props.trans}>
        <CleanupRun {...this.props} />
      </TransContext.Provider>
    );
  }
}

function CleanupRun(props: {
  model: AutopilotModel;
  experiment: string;
  deleteExperiment: boolean;
}): JSX.Element {
  const trans = useTrans();
  const [result, setResult] = React.useState<CleanupResult | null>(null);
  const [error, setError] = React.useState<unknown>(null);
  React.useEffect(() => {
    props.model.client
      .cleanup(props.experiment, {
        include_outputs: true,
        delete_experiment: props.deleteExperiment
      })
      .then(r => {
        setResult(r);
        props.model.experimentsChanged.emit(props.experiment);
        props.model.endpointsChanged.emit(null);
      }, setError);
  }, []);
  if (error) {
    return (
      <div className="jp-AutopilotDialog-body">
        <ErrorMessage error={error} title={trans.__('Clean-up failed.')} />
      </div>
    );
  }
  if (!result) {
    return (
      <div className="jp-AutopilotDialog-body" aria-busy="true">
        <ProgressBar value={null} label={trans.__('Deleting')} />
        <p>{trans.__('Deleting…')}</p>
      </div>
    );
  }
  const failed = result.failed ?? [];
  return (
    <div className="jp-AutopilotDialog-body" aria-live="polite">
      {failed.length === 0 ? (
        <Notice kind="success" role="status">
          {result.deleted.length
            ? trans.__(
                'Deleted %1 items. Nothing is left.',
                result.deleted.length
              )
            : trans.__('There was nothing to delete. Nothing is left.')}
        </Notice>
      ) : (
        <Notice kind="error" role="alert">
          {trans.__('%1 items could not be deleted.', failed.length)}
        </Notice>
      )}
      {result.deleted.length > 0 && (
        <>
          <h4>{trans.__('Deleted')}</h4>
          <CleanupItems items={result.deleted} label={trans.__('Deleted')} />
        </>
      )}
      {failed.length > 0 && (
        <>
          <h4>{trans.__('Not deleted')}</h4>
          <ul
            className="jp-AutopilotCleanup-items jp-mod-failed"
            aria-label={trans.__('Not deleted')}
          >
            {failed.map((f, i) => (
              <li key={i}>
                <span className="jp-AutopilotCleanup-kind">
                  {resourceKindLabel(f.item.kind, trans)}
                </span>
                <span className="jp-AutopilotCleanup-name">{f.item.name}</span>
                <span className="jp-AutopilotCleanup-description jp-Autopilot-errorText">
                  {f.error}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/**
 * List what clean-up would delete, ask, delete it and show the result.
 * Resolves true when clean-up ran.
 */
export async function cleanupWithDialog(options: {
  model: AutopilotModel;
  trans: TranslationBundle;
  experiment: string;
}): Promise<boolean> {
  const { trans } = options;
  const planBody = new CleanupPlanBody(options);
  const answer = await showDialog({
    title: trans.__('Clean up %1', options.experiment),
    body: planBody,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Delete') })
    ],
    defaultButton: 0
  });
  if (!answer.button.accept || !answer.value) {
    return false;
  }
  await showDialog({
    title: trans.__('Clean up %1', options.experiment),
    body: new CleanupRunBody({
      ...options,
      deleteExperiment: answer.value.deleteExperiment
    }),
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
  return true;
}
