/**
 * The body of an endpoint's view: status and actions, hosting, the Predict form,
 * batch predictions, production variants and monitoring.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Button, deleteIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Endpoint } from '../api/types';
import {
  ButtonIcon,
  ErrorMessage,
  KeyValues,
  Loading,
  Notice,
  ProgressBar,
  RefreshButton,
  Section,
  Spinner,
  StatusBadge,
  useTrans
} from '../common/components';
import { SAGEMAKER_PRICING_URL } from '../deploy/hosting';
import {
  formatCount,
  formatDateTime,
  formatMetric,
  formatUsd
} from '../format';
import { isEndpointBusy } from '../logic/status';
import { AutopilotModel, IAutopilotActions } from '../model';
import { MonitoringSection } from '../monitoring/MonitoringSection';
import { MonitoringState } from '../monitoring/MonitoringState';
import { BatchForm } from './BatchForm';
import { confirmDeleteEndpoint } from './confirmDelete';
import { IEndpointData } from './EndpointView';
import { PredictForm } from './PredictForm';
import { VariantsSection } from './Variants';

/** An endpoint's view body (or why it cannot be shown). */
export function EndpointDetail(props: {
  name: string;
  data: IEndpointData;
  model: AutopilotModel;
  actions: IAutopilotActions;
  trans: TranslationBundle;
  refresh: () => void;
  monitoring: MonitoringState;
  onEndpoint: (endpoint: Endpoint) => void;
}): JSX.Element {
  const trans = useTrans();
  const { data, model } = props;
  const e = data.endpoint;
  const [deleteError, setDeleteError] = React.useState<unknown>(null);
  const [deleting, setDeleting] = React.useState(false);

  if (data.gone) {
    return (
      <div className="jp-Autopilot-viewBody">
        <Notice kind="info">
          {trans.__('The endpoint %1 no longer exists.', props.name)}
        </Notice>
      </div>
    );
  }
  if (!e) {
    return (
      <div className="jp-Autopilot-viewBody">
        {data.error ? (
          <ErrorMessage
            error={data.error}
            title={trans.__('Cannot load endpoint %1.', props.name)}
            onRetry={props.refresh}
          />
        ) : (
          <Loading />
        )}
      </div>
    );
  }

  const remove = async () => {
    if (!(await confirmDeleteEndpoint(props.trans, e.name))) {
      return;
    }
    setDeleting(true);
    setDeleteError(null);
    try {
      await model.client.deleteEndpoint(e.name);
      model.endpointsChanged.emit(e.name);
    } catch (error) {
      setDeleteError(error);
    } finally {
      setDeleting(false);
    }
  };

  const health = model.healthValue;
  const hosting = e.serverless
    ? trans.__(
        'Serverless, %1 MB, up to %2 concurrent',
        e.serverless.memory_size_mb,
        e.serverless.max_concurrency
      )
    : e.instance_type
      ? `${e.instance_type} × ${e.instance_count ?? 1}`
      : trans.__('Local process');
  return (
    <div className="jp-Autopilot-viewBody">
      <header className="jp-Autopilot-viewHeader">
        <h2>{e.name}</h2>
        {isEndpointBusy(e.status) && <Spinner />}
        <StatusBadge status={e.status} />
        <span className="jp-Autopilot-chip">{e.backend}</span>
        <span className="jp-Autopilot-spacer" />
        <div
          className="jp-Autopilot-toolbar"
          role="toolbar"
          aria-label={trans.__('Endpoint actions')}
        >
          <Button
            onClick={() => void remove()}
            disabled={deleting || e.status === 'Deleting'}
          >
            {deleting ? <Spinner /> : <ButtonIcon icon={deleteIcon} />}
            {trans.__('Delete endpoint')}
          </Button>
          <RefreshButton onClick={props.refresh} />
        </div>
      </header>
      <ErrorMessage error={deleteError} />
      <ErrorMessage
        error={data.error}
        title={trans.__('Cannot refresh:')}
        onRetry={props.refresh}
      />
      {e.status === 'Failed' && (
        <div className="jp-Autopilot-error" role="alert">
          {e.failure_reason ?? trans.__('The endpoint failed.')}
        </div>
      )}
      {e.backend_details?.warning && e.status !== 'Failed' && (
        <Notice kind="warning">{e.backend_details.warning}</Notice>
      )}
      {isEndpointBusy(e.status) && (
        <div className="jp-Autopilot-statusLine" role="status">
          <ProgressBar value={null} label={trans.__('Endpoint status')} />
          <span>
            {e.status === 'Creating'
              ? trans.__(
                  'Starting the model server; predictions are possible once it is in service.'
                )
              : e.status}
          </span>
        </div>
      )}
      <Section title={trans.__('Overview')}>
        <KeyValues
          label={trans.__('Endpoint details')}
          items={[
            [
              trans.__('Experiment'),
              e.experiment ? (
                <button
                  className="jp-Autopilot-linkButton"
                  onClick={() =>
                    props.actions.openExperiment(e.experiment as string)
                  }
                >
                  {e.experiment}
                </button>
              ) : (
                '–'
              )
            ],
            e.variants?.length
              ? [
                  trans.__('Model'),
                  trans.__(
                    '%1 production variants: %2',
                    e.variants.length,
                    e.variants.map(v => v.candidate).join(', ')
                  )
                ]
              : [
                  trans.__('Model'),
                  [e.candidate, e.algorithm].filter(Boolean).join(' · ') ||
                    e.model_name ||
                    '–'
                ],
            [
              trans.__('Objective'),
              e.variants?.length
                ? (e.objective_metric ?? '–')
                : e.objective_metric
                  ? `${e.objective_metric} ${formatMetric(e.objective_value)}`
                  : '–'
            ],
            [trans.__('Hosting'), hosting],
            [trans.__('Invocations'), formatCount(e.invocation_count)],
            [
              trans.__('Latency'),
              e.latency?.samples
                ? trans.__(
                    'p50 %1 ms · p95 %2 ms · p99 %3 ms (%4 requests)',
                    e.latency.p50_ms?.toFixed(1) ?? '–',
                    e.latency.p95_ms?.toFixed(1) ?? '–',
                    e.latency.p99_ms?.toFixed(1) ?? '–',
                    e.latency.samples
                  )
                : trans.__('no requests yet')
            ],
            ...(e.hourly_cost_usd || e.backend_details?.cost_note
              ? ([
                  [
                    trans.__('Cost'),
                    <span key="cost" title={e.backend_details?.cost_note}>
                      {e.hourly_cost_usd
                        ? trans.__(
                            'about %1 per hour (approximate)',
                            formatUsd(e.hourly_cost_usd)
                          )
                        : e.backend_details?.cost_note}{' '}
                      {e.backend === 'sagemaker' && (
                        <a
                          href={SAGEMAKER_PRICING_URL}
                          target="_blank"
                          rel="noreferrer"
                        >
                          {trans.__('SageMaker pricing')}
                        </a>
                      )}
                    </span>
                  ]
                ] as Array<[string, React.ReactNode]>)
              : []),
            ...(e.backend_details?.region
              ? ([[trans.__('Region'), e.backend_details.region]] as Array<
                  [string, string]
                >)
              : []),
            ...(e.backend_details?.endpoint_arn
              ? ([
                  [trans.__('Endpoint ARN'), e.backend_details.endpoint_arn]
                ] as Array<[string, string]>)
              : []),
            ...(e.backend_details?.endpoint_config
              ? ([
                  [
                    trans.__('Endpoint configuration'),
                    e.backend_details.endpoint_config
                  ]
                ] as Array<[string, string]>)
              : []),
            [trans.__('Created'), formatDateTime(e.created_at)],
            [
              trans.__('Input columns'),
              e.input_columns?.length ? e.input_columns.join(', ') : '–'
            ]
          ]}
        />
      </Section>
      <VariantsSection
        endpoint={e}
        model={model}
        onUpdated={props.onEndpoint}
      />
      <Section title={trans.__('Predict')}>
        {e.status === 'InService' ? (
          <PredictForm endpoint={e} model={model} />
        ) : (
          <p className="jp-Autopilot-muted">
            {trans.__(
              'Predictions are possible once the endpoint is in service.'
            )}
          </p>
        )}
      </Section>
      {(health?.features.batch_predictions ?? true) && (
        <Section title={trans.__('Batch prediction')}>
          <BatchForm endpoint={e} model={model} actions={props.actions} />
        </Section>
      )}
      {!model.notImplemented('monitoring_status') && (
        <MonitoringSection
          endpoint={e}
          model={model}
          state={props.monitoring}
        />
      )}
    </div>
  );
}
