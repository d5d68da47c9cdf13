import { ReactWidget } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Button, refreshIcon, addIcon } from '@jupyterlab/ui-components';
import { Poll } from '@lumino/polling';
import { Signal } from '@lumino/signaling';
import * as React from 'react';

import { AutopilotClient } from '../api/client';
import type { ExperimentSummary, Health } from '../api/types';
import { formatMetric, formatRelativeTime } from '../format';

/** What the sidebar shows: server info, the experiments, or why it can't. */
interface IPanelState {
  health: Health | null;
  experiments: ExperimentSummary[] | null;
  error: string | null;
}

/**
 * The "Autopilot" left-sidebar panel: the backend in use and the experiments list.
 */
export class ExperimentsPanel extends ReactWidget {
  constructor(options: ExperimentsPanel.IOptions) {
    super();
    this.client = options.client;
    this.translator = options.translator ?? nullTranslator;
    this.onCreate = options.onCreate;
    this.onOpen = options.onOpen;
    this.id = 'jp-autopilot-sidebar';
    this.addClass('jp-AutopilotPanel');
    this.poll = new Poll({
      factory: () => this.refresh(),
      frequency: {
        interval: options.pollInterval ?? 3000,
        backoff: true,
        max: 60 * 1000
      },
      standby: 'when-hidden',
      name: 'jupyter-autopilot:experiments'
    });
  }

  readonly client: AutopilotClient;

  /** Fetch health and experiments now (also called by the refresh command). */
  async refresh(): Promise<void> {
    try {
      const [health, list] = await Promise.all([
        this.state.health ? Promise.resolve(this.state.health) : this.client.health(),
        this.client.listExperiments({ limit: 200 })
      ]);
      this.state = { health, experiments: list.experiments, error: null };
    } catch (error) {
      this.state = { ...this.state, error: (error as Error).message };
      this.changed.emit();
      this.update();
      throw error;
    }
    this.changed.emit();
    this.update();
  }

  /** Emitted after every refresh. */
  readonly changed = new Signal<this, void>(this);

  dispose(): void {
    this.poll.dispose();
    super.dispose();
  }

  protected render(): JSX.Element {
    const trans = this.translator.load('jupyter_autopilot');
    const { health, experiments, error } = this.state;
    return (
      <div className="jp-AutopilotPanel-content">
        <header className="jp-AutopilotPanel-header">
          <h2>{trans.__('Autopilot')}</h2>
          <span
            className="jp-AutopilotPanel-backend"
            title={trans.__('Backend in use')}
          >
            {health ? trans.__('Backend: %1', health.backend) : ''}
          </span>
          <Button
            minimal
            aria-label={trans.__('Refresh experiments')}
            title={trans.__('Refresh')}
            onClick={() => void this.poll.refresh()}
          >
            <refreshIcon.react tag="span" />
          </Button>
        </header>
        <div className="jp-AutopilotPanel-actions">
          <Button onClick={() => this.onCreate?.()}>
            <addIcon.react tag="span" />
            {trans.__('Create experiment')}
          </Button>
        </div>
        {error && (
          <div className="jp-AutopilotPanel-error" role="alert">
            {error}
          </div>
        )}
        {experiments === null && !error && (
          <div className="jp-AutopilotPanel-loading">{trans.__('Loading…')}</div>
        )}
        {experiments !== null && experiments.length === 0 && (
          <div className="jp-AutopilotPanel-empty">
            <p>{trans.__('No experiments yet.')}</p>
            <p>
              {trans.__(
                'Create an experiment: pick a CSV file, choose the column to predict, and Autopilot analyses the data, generates candidate pipelines, engineers features and tunes models for you.'
              )}
            </p>
            <p>
              {trans.__(
                'Tip: right-click a CSV file in the file browser and choose "Create Autopilot experiment".'
              )}
            </p>
          </div>
        )}
        {experiments !== null && experiments.length > 0 && (
          <ul className="jp-AutopilotPanel-list" aria-label={trans.__('Experiments')}>
            {experiments.map(e => (
              <li key={e.name}>
                <button
                  className="jp-AutopilotPanel-item"
                  onClick={() => this.onOpen?.(e.name)}
                >
                  <span className="jp-AutopilotPanel-itemName">{e.name}</span>
                  <span
                    className={`jp-AutopilotPanel-status jp-mod-${e.status}`}
                  >
                    {e.status}
                  </span>
                  <span className="jp-AutopilotPanel-itemMeta">
                    {e.best_candidate?.objective_value !== undefined &&
                    e.best_candidate?.objective_value !== null
                      ? `${e.objective?.metric ?? ''} ${formatMetric(
                          e.best_candidate.objective_value
                        )} · `
                      : ''}
                    {formatRelativeTime(e.created_at)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }

  private state: IPanelState = { health: null, experiments: null, error: null };
  private poll: Poll;
  private translator: ITranslator;
  private onCreate?: () => void;
  private onOpen?: (name: string) => void;
}

export namespace ExperimentsPanel {
  export interface IOptions {
    client: AutopilotClient;
    translator?: ITranslator;
    pollInterval?: number;
    onCreate?: () => void;
    onOpen?: (name: string) => void;
  }
}
