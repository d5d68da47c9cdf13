import type { TranslationBundle } from '@jupyterlab/translation';
import { Button, deleteIcon, fileUploadIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Endpoint } from '../api/types';
import {
  ButtonIcon,
  Spinner,
  StatusBadge,
  useTrans
} from '../common/components';
import { showError } from '../common/dialogs';
import { PanelList, SidebarPanel } from '../common/SidebarPanel';
import { deployArtifactWithDialog } from '../deploy/ArtifactDeployForm';
import { hostingText, SAGEMAKER_PRICING_URL } from '../deploy/hosting';
import {
  formatCount,
  formatMetric,
  formatRelativeTime,
  formatUsd
} from '../format';
import { backendName } from '../logic/backends';
import { deployArtifactSupported } from '../logic/features';
import { isEndpointBusy } from '../logic/status';
import { confirmDeleteEndpoint } from './confirmDelete';

interface IEndpointsState {
  endpoints: Endpoint[] | null;
  error: unknown;
}

/**
 * The "Autopilot endpoints" sidebar panel: every deployed model with its status,
 * metric, invocations and latency; open one to predict, or delete it.
 */
export class EndpointsPanel extends SidebarPanel<IEndpointsState> {
  constructor(options: EndpointsPanel.IOptions) {
    super({
      ...options,
      kind: 'endpoints',
      id: 'jp-autopilot-endpoints',
      empty: { endpoints: null, error: null }
    });
    this.addClass('jp-AutopilotEndpoints');
    this.model.endpointsChanged.connect(() => void this.refresh(), this);
    // Which actions the backend has (e.g. deploying exported models) comes with health.
    this.model.healthChanged.connect(() => this.update(), this);
  }

  protected renderPanel(trans: TranslationBundle): JSX.Element {
    return (
      <EndpointsList
        {...this.state}
        backend={this.backendShown(trans)}
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
          if (!(await confirmDeleteEndpoint(trans, endpoint.name))) {
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
    );
  }

  /** On a server with more than one backend, the name of the one listed (else null). */
  private backendShown(trans: TranslationBundle): string | null {
    const backends = this.root.healthValue?.backends ?? [];
    if (backends.length < 2) {
      return null;
    }
    const name = this.model.backend ?? backends.find(b => b.default)?.name;
    return name ? backendName(name, trans) : null;
  }

  protected async load(): Promise<boolean> {
    const model = this.model;
    try {
      // Cached; says which actions to offer.
      await model.health();
    } catch {
      // The list below reports the problem.
    }
    await this.loadState(async () => {
      const { endpoints } = await model.client.listEndpoints();
      // Another backend chosen meanwhile: its own load fills the panel.
      return model === this.model ? { endpoints, error: null } : this.state;
    });
    return (this.state.endpoints ?? []).some(e => isEndpointBusy(e.status));
  }
}

export namespace EndpointsPanel {
  export type IOptions = Omit<
    SidebarPanel.IOptions<IEndpointsState>,
    'kind' | 'id' | 'empty'
  >;
}

function EndpointsList(
  props: IEndpointsState & {
    onRefresh: () => void;
    onOpen: (name: string) => void;
    onDelete: (endpoint: Endpoint) => void;
    /** Deploy an exported model.tar.gz (backends that can). */
    onDeployArtifact?: () => void;
    /** The backend listed, on a server that offers more than one. */
    backend: string | null;
  }
): JSX.Element {
  const trans = useTrans();
  const { endpoints, error } = props;
  const hourly = (endpoints ?? []).reduce(
    (sum, e) => sum + (e.hourly_cost_usd ?? 0),
    0
  );
  return (
    <PanelList
      title={trans.__('Endpoints')}
      refreshLabel={trans.__('Refresh endpoints')}
      onRefresh={props.onRefresh}
      above={
        <>
          {props.backend && (
            <div className="jp-AutopilotPanel-backend">
              <span
                className="jp-Autopilot-chip"
                title={trans.__(
                  'The endpoints of this backend (chosen in the Autopilot panel)'
                )}
              >
                {props.backend}
              </span>
            </div>
          )}
          {props.onDeployArtifact && (
            <div className="jp-AutopilotEndpoints-actions">
              <Button small onClick={props.onDeployArtifact}>
                <ButtonIcon icon={fileUploadIcon} />
                {trans.__('Deploy exported model')}
              </Button>
            </div>
          )}
        </>
      }
      error={error}
      items={endpoints}
      emptyTitle={trans.__('No endpoints running')}
      empty={
        <p>
          {trans.__(
            'Deploy a model from a completed experiment (its Deploy button) to get an endpoint you can send rows to.'
          )}
        </p>
      }
    >
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
    </PanelList>
  );
}
