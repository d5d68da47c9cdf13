/**
 * The deploy dialog of a candidate (or several, as production variants).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { HTMLSelect } from '@jupyterlab/ui-components';
import * as React from 'react';

import type {
  Candidate,
  CostEstimate,
  EndpointEstimateRequest,
  Health
} from '../api/types';
import { CostEstimateView } from '../common/CostEstimateView';
import { Field, Notice, TextField, useTrans } from '../common/components';
import { formatMetric } from '../format';
import { fieldErrors } from '../logic/errors';
import { monitoringSupported, variantsSupported } from '../logic/features';
import { suggestEndpointName } from '../logic/names';
import { AutopilotModel } from '../model';
import { FormBody, FormFrame } from './FormBody';
import { deployExclusions } from './hosting';
import { HostingFields } from './HostingFields';
import { deployRequest, IDeployForm } from './requests';
import { existingEndpointNames, submitDeployForm } from './submitDeployForm';
import { VariantPicker } from './VariantPicker';
import { defaultVariantPicks } from './variants';

/** The deploy form: candidate(s), endpoint name, hosting and monitoring. */
export function DeployFormView(props: {
  health: Health;
  candidates: Candidate[];
  objectiveMetric: string | null;
  initial: IDeployForm;
  serverError: unknown;
  onChange: (form: IDeployForm) => void;
  /** SageMaker: what the endpoint would cost (the estimates route). */
  estimate?: (request: EndpointEstimateRequest) => Promise<CostEstimate>;
}): JSX.Element {
  const trans = useTrans();
  const [form, setForm] = React.useState(props.initial);
  const [cost, setCost] = React.useState<CostEstimate | null>(null);
  const { estimate } = props;
  React.useEffect(() => {
    if (!estimate) {
      return;
    }
    let current = true;
    const count = parseInt(form.instanceCount, 10);
    estimate({
      instance_type: form.instanceType || null,
      instance_count: count >= 1 && count <= 10 ? count : 1,
      serverless: form.hosting === 'serverless',
      hours: 24
    }).then(
      answer => current && setCost(answer),
      () => current && setCost(null)
    );
    return () => {
      current = false;
    };
  }, [estimate, form.hosting, form.instanceType, form.instanceCount]);
  const [touched, setTouched] = React.useState(false);
  const serverFields = fieldErrors(props.serverError);
  const { errors } = deployRequest(form, props.health, trans);
  const update = (patch: Partial<IDeployForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    setTouched(true);
    props.onChange(next);
  };
  const aws = props.health.features.s3;
  const nameError =
    (touched ? errors.endpoint_name : undefined) ?? serverFields.endpoint_name;
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
    <FormFrame serverError={props.serverError} serverFields={serverFields}>
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
      {/* Marked while invalid, before its message shows: the Deploy button reads it. */}
      <TextField
        id="jp-autopilot-deploy-name"
        label={trans.__('Endpoint name')}
        help={trans.__(
          '1–63 letters, digits and hyphens (SageMaker’s naming rule).'
        )}
        error={nameError}
        marked={!!errors.endpoint_name}
        value={form.endpointName}
        onChange={endpointName => update({ endpointName })}
      />
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
      {aws && cost && (
        <CostEstimateView
          estimate={cost}
          what={trans.__('this endpoint for a day')}
        />
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
      {aws && !form.forecaster && (
        <label className="jp-Autopilot-checkbox">
          <input
            type="checkbox"
            checked={!!form.explain}
            aria-invalid={errors.explanations ? true : undefined}
            aria-describedby="jp-autopilot-deploy-explain-error"
            onChange={e => update({ explain: e.target.checked })}
          />
          {trans.__(
            'Explain predictions (SageMaker Clarify: each column’s contribution, asked per prediction; explained predictions take longer)'
          )}
        </label>
      )}
      {aws && !form.forecaster && (
        <div
          id="jp-autopilot-deploy-explain-error"
          className="jp-Autopilot-fieldError"
          aria-live="polite"
        >
          {errors.explanations ?? serverFields.explanations ?? ''}
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
    </FormFrame>
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
  /** A forecasting experiment: its endpoint has no explainer to offer. */
  forecaster?: boolean;
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
    inVpc: !!options.inVpc,
    forecaster: !!options.forecaster
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
          serverError,
          estimate: health.features.s3
            ? (r: EndpointEstimateRequest) => model.client.estimateEndpoint(r)
            : undefined
        },
        DeployFormView
      ),
    request: current => deployRequest(current, health, trans).request,
    send: request => model.client.deploy(options.experiment, request),
    onOpenEndpoint: options.onOpenEndpoint
  });
}
