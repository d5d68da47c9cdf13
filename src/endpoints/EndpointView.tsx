import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import type { Endpoint } from '../api/types';
import { TransContext, TRANSLATION_DOMAIN } from '../common/components';
import { PolledView } from '../common/poll';
import { isNotFound } from '../logic/errors';
import { isEndpointBusy } from '../logic/status';
import { AutopilotModel, IAutopilotActions } from '../model';
import { MonitoringState } from '../monitoring/MonitoringState';
import { EndpointDetail } from './EndpointDetail';

/** What the view knows about its endpoint. */
export interface IEndpointData {
  endpoint: Endpoint | null;
  error: unknown;
  gone: boolean;
}

/**
 * One endpoint (main area): its details, a Predict form (a row from the
 * dataset or pasted CSV), batch predictions on a file, and Delete.
 */
export class EndpointView extends PolledView {
  constructor(options: EndpointView.IOptions) {
    super(
      `jupyter-autopilot:endpoint:${options.name}`,
      () => options.model.timing
    );
    this.name = options.name;
    this.model = options.model;
    this.actions = options.actions;
    this.translator = options.translator ?? nullTranslator;
    this.addClass('jp-AutopilotEndpoint');
    this.addClass('jp-Autopilot-view');
    this.monitoring = new MonitoringState({
      name: this.name,
      model: this.model,
      widget: this
    });
    this.monitoring.changed.connect(() => this.update(), this);
    this.model.endpointsChanged.connect((_, name) => {
      if (name === null || name === this.name) {
        void this.refresh();
      }
    }, this);
  }

  readonly name: string;

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

  protected render(): JSX.Element {
    const trans = this.translator.load(TRANSLATION_DOMAIN);
    return (
      <TransContext.Provider value={trans}>
        <EndpointDetail
          name={this.name}
          data={this.data}
          model={this.model}
          actions={this.actions}
          trans={trans}
          refresh={() => void this.refresh()}
          monitoring={this.monitoring}
          onEndpoint={endpoint => this.setEndpoint(endpoint)}
        />
      </TransContext.Provider>
    );
  }

  /** Show an endpoint the server just answered (after a weight change). */
  private setEndpoint(endpoint: Endpoint): void {
    this.data = { endpoint, error: null, gone: false };
    this.update();
    this.model.endpointsChanged.emit(endpoint.name);
  }

  protected async load(): Promise<boolean> {
    if (this.data.gone) {
      return false;
    }
    // Variants' best metrics are marked by direction: know it first.
    await this.model.metricDirectionsKnown();
    try {
      const endpoint = await this.model.client.getEndpoint(this.name);
      this.data = { endpoint, error: null, gone: false };
      this.update();
      return isEndpointBusy(endpoint.status);
    } catch (error) {
      const gone = isNotFound(error);
      this.data = { ...this.data, error: gone ? null : error, gone };
      this.update();
      if (gone) {
        return false;
      }
      throw error;
    }
  }

  private data: IEndpointData = { endpoint: null, error: null, gone: false };
  private model: AutopilotModel;
  private actions: IAutopilotActions;
  private translator: ITranslator;
  private monitoring: MonitoringState;
}

export namespace EndpointView {
  export interface IOptions {
    name: string;
    model: AutopilotModel;
    actions: IAutopilotActions;
    translator?: ITranslator;
  }
}
