import type { TranslationBundle } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import type { Endpoint } from '../api/types';
import { IResourceData, ResourceView } from '../common/ResourceView';
import { isEndpointBusy } from '../logic/status';
import { MonitoringState } from '../monitoring/MonitoringState';
import { EndpointDetail } from './EndpointDetail';

/** What the view knows about its endpoint. */
export interface IEndpointData extends IResourceData {
  endpoint: Endpoint | null;
}

/**
 * One endpoint (main area): its details, a Predict form (a row from the
 * dataset or pasted CSV), batch predictions on a file, and Delete.
 */
export class EndpointView extends ResourceView<Endpoint, IEndpointData> {
  constructor(options: EndpointView.IOptions) {
    super({
      ...options,
      kind: 'endpoint',
      className: 'jp-AutopilotEndpoint',
      changed: options.model.endpointsChanged,
      empty: { endpoint: null, error: null, gone: false }
    });
    this.monitoring = new MonitoringState({
      name: this.name,
      model: this.model,
      widget: this
    });
    this.monitoring.changed.connect(() => this.update(), this);
  }

  async refresh(): Promise<void> {
    void this.monitoring.refresh();
    await super.refresh();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.monitoring.dispose();
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this.monitoring.refresh();
  }

  protected renderDetail(trans: TranslationBundle): JSX.Element {
    return (
      <EndpointDetail
        {...this.detailProps(trans)}
        monitoring={this.monitoring}
        onEndpoint={endpoint => this.setEndpoint(endpoint)}
      />
    );
  }

  /** Show an endpoint the server just answered (after a weight change). */
  private setEndpoint(endpoint: Endpoint): void {
    this.data = { endpoint, error: null, gone: false };
    this.update();
    this.model.endpointsChanged.emit(endpoint.name);
  }

  protected fetch(): Promise<Endpoint> {
    return this.model.client.getEndpoint(this.name);
  }

  protected async loaded(endpoint: Endpoint): Promise<boolean> {
    this.data = { endpoint, error: null, gone: false };
    this.update();
    return isEndpointBusy(endpoint.status);
  }

  private monitoring: MonitoringState;
}

export namespace EndpointView {
  export type IOptions = Omit<
    ResourceView.IOptions<IEndpointData>,
    'kind' | 'className' | 'changed' | 'empty'
  >;
}
