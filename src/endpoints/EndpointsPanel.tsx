import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  Button,
  deleteIcon,
  fileUploadIcon,
  refreshIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Endpoint } from '../api/types';
import {
  ButtonIcon,
  ErrorMessage,
  Loading,
  Spinner,
  StatusBadge,
  TransContext,
  TRANSLATION_DOMAIN,
  useTrans
} from '../common/components';
import { confirm, showError } from '../common/dialogs';
import { PolledView } from '../common/poll';
import { deployArtifactWithDialog } from '../deploy/ArtifactDeployForm';
import { hostingText, SAGEMAKER_PRICING_URL } from '../deploy/hosting';
import {
  formatCount,
  formatMetric,
  formatRelativeTime,
  formatUsd
} from '../format';
import { deployArtifactSupported } from '../logic/features';
import { isEndpointBusy } from '../logic/status';
import { AutopilotModel, IAutopilotActions } from '../model';

interface IEndpointsState {
  endpoints: Endpoint[] | null;
  error: unknown;
}

/**
 * The "Autopilot endpoints" sidebar panel: every deployed model with its status,
 * metric, invocations and latency; open one to predict, or delete it.
 */
export class EndpointsPanel extends PolledView {
  constructor(options: EndpointsPanel.IOptions) {
    super('jupyter-autopilot:endpoints', () => options.model.timing);
    this.model = options.model;
    this.actions = options.actions;
    this.translator = options.translator ?? nullTranslator;
    this.id = 'jp-autopilot-endpoints';
    this.addClass('jp-AutopilotPanel');
    this.addClass('jp-AutopilotEndpoints');
    this.model.endpointsChanged.connect(() => void this.refresh(), this);
    // Which actions the backend has (e.g. deploying exported models) comes with health.
    this.model.healthChanged.connect(() => this.update(), this);
  }

  readonly model: AutopilotModel;

  protected render(): JSX.Element {
    const trans = this.translator.load(TRANSLATION_DOMAIN);
    return (
      <TransContext.Provider value={trans}>
        <EndpointsList
          {...this.state}
          onRefresh={() => void this.refresh()}
          onOpen={name => this.actions.openEndpoint(name)}
          onDeployArtifact={
            this.model.healthValue &&
            deployArtifactSupported(this.model.healthValue)
              ? async () => {
                  try {
                    await deployArtifactWithDialog({
                      model: this.model,
                      trans,
                      pickFile: (title, extensions) =>
                        this.actions.pickFile(title, extensions),
                      onOpenEndpoint: name => this.actions.openEndpoint(name)
                    });
                  } catch (error) {
                    await showError(
                      trans,
                      trans.__('Cannot deploy an exported model'),
                      error
                    );
                  }
                }
              : undefined
          }
          onDelete={async endpoint => {
            const ok = await confirm({
              trans,
              title: trans.__('Delete endpoint %1?', endpoint.name),
              body: trans.__(
                'The model stops serving predictions. The experiment and its models are kept.'
              ),
              accept: trans.__('Delete'),
              warn: true
            });
            if (!ok) {
              return;
            }
            try {
              await this.model.client.deleteEndpoint(endpoint.name);
              this.model.endpointsChanged.emit(endpoint.name);
            } catch (error) {
              this.state = { ...this.state, error };
              this.update();
            }
          }}
        />
      </TransContext.Provider>
    );
  }

  protected async load(): Promise<boolean> {
    try {
      // Cached; says which actions to offer.
      await this.model.health();
    } catch {
      // The list below reports the problem.
    }
    try {
      const list = await this.model.client.listEndpoints();
      this.state = { endpoints: list.endpoints, error: null };
    } catch (error) {
      this.state = { ...this.state, error };
      this.update();
      throw error;
    }
    this.update();
    return (this.state.endpoints ?? []).some(e => isEndpointBusy(e.status));
  }

  private state: IEndpointsState = { endpoints: null, error: null };
  private actions: IAutopilotActions;
  private translator: ITranslator;
}

export namespace EndpointsPanel {
  export interface IOptions {
    model: AutopilotModel;
    actions: IAutopilotActions;
    translator?: ITranslator;
  }
}

function EndpointsList(
  props: IEndpointsState & {
    onRefresh: () => void;
    onOpen: (name: string) => void;
    onDelete: (endpoint: Endpoint) => void;
    /** Deploy an exported model.tar.gz (backends that can). */
    onDeployArtifact?: () => void;
  }
): JSX.Element {
  const trans = useTrans();
  const { endpoints, error } = props;
  const hourly = (endpoints ?? []).reduce(
    (sum, e) => sum + (e.hourly_cost_usd ?? 0),
    0
  );
  return (
    <div className="jp-AutopilotPanel-content">
      <header className="jp-AutopilotPanel-header">
        <h2>{trans.__('Endpoints')}</h2>
        <Button
          minimal
          aria-label={trans.__('Refresh endpoints')}
          title={trans.__('Refresh')}
          onClick={props.onRefresh}
        >
          <refreshIcon.react tag="span" />
        </Button>
      </header>
      {props.onDeployArtifact && (
        <div className="jp-AutopilotEndpoints-actions">
          <Button small onClick={props.onDeployArtifact}>
            <ButtonIcon icon={fileUploadIcon} />
            {trans.__('Deploy exported model')}
          </Button>
        </div>
      )}
      <ErrorMessage error={error} onRetry={props.onRefresh} />
      {endpoints === null && !error && <Loading />}
      {endpoints !== null && endpoints.length === 0 && (
        <div className="jp-AutopilotPanel-empty">
          <p className="jp-AutopilotPanel-emptyTitle">
            {trans.__('No endpoints running')}
          </p>
          <p>
            {trans.__(
              'Deploy a model from a completed experiment (its Deploy button) to get an endpoint you can send rows to.'
            )}
          </p>
        </div>
      )}
      {hourly > 0 && (
        <p className="jp-Autopilot-muted" data-testid="endpoints-cost">
          {trans.__(
            'Running endpoints cost about %1 per hour (approximate).',
            formatUsd(hourly)
          )}{' '}
          {(endpoints ?? []).some(e => e.backend === 'sagemaker') && (
            <a href={SAGEMAKER_PRICING_URL} target="_blank" rel="noreferrer">
              {trans.__('SageMaker pricing')}
            </a>
          )}
        </p>
      )}
      {endpoints !== null && endpoints.length > 0 && (
        <ul
          className="jp-AutopilotPanel-list"
          aria-label={trans.__('Endpoints')}
        >
          {endpoints.map(e => (
            <li
              key={e.name}
              className="jp-AutopilotEndpoints-row"
              data-endpoint={e.name}
            >
              <button
                className="jp-AutopilotPanel-item"
                onClick={() => props.onOpen(e.name)}
                aria-label={trans.__('Open endpoint %1 (%2)', e.name, e.status)}
              >
                <span className="jp-AutopilotPanel-itemName">{e.name}</span>
                <span>
                  {isEndpointBusy(e.status) && <Spinner />}
                  <StatusBadge status={e.status} />
                </span>
                <span className="jp-AutopilotPanel-itemStage">
                  {[
                    e.experiment,
                    e.variants?.length
                      ? trans.__('%1 variants', e.variants.length)
                      : e.algorithm
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
                <span className="jp-AutopilotPanel-itemObjective">
                  {e.objective_value !== null && e.objective_value !== undefined
                    ? `${e.objective_metric ?? ''} ${formatMetric(e.objective_value)}`
                    : ''}
                </span>
                {hostingText(e, trans) && (
                  <span
                    className="jp-AutopilotPanel-itemCost"
                    title={e.backend_details?.cost_note ?? undefined}
                  >
                    {hostingText(e, trans)}
                  </span>
                )}
                <span className="jp-AutopilotPanel-itemMeta">
                  {trans.__('%1 invocations', formatCount(e.invocation_count))}
                  {e.latency?.p50_ms !== null && e.latency?.p50_ms !== undefined
                    ? ` · ${trans.__('p50 %1 ms', e.latency.p50_ms.toFixed(1))}`
                    : ''}
                  {' · '}
                  {formatRelativeTime(e.created_at, Date.now(), trans)}
                </span>
              </button>
              <Button
                minimal
                small
                className="jp-AutopilotEndpoints-delete"
                aria-label={trans.__('Delete endpoint %1', e.name)}
                title={trans.__('Delete endpoint')}
                disabled={e.status === 'Deleting'}
                onClick={() => props.onDelete(e)}
              >
                <ButtonIcon icon={deleteIcon} />
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
