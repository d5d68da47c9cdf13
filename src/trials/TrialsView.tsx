import type { Contents } from '@jupyterlab/services';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import type { ExperimentSummary } from '../api/types';
import { TransContext, TRANSLATION_DOMAIN } from '../common/components';
import { PolledView } from '../common/poll';
import { isNotFound } from '../logic/errors';
import { AutopilotModel, IAutopilotActions } from '../model';
import {
  experimentRunning,
  experimentsToReload,
  ITrialsData,
  MAX_TRIALS,
  mergeTrials
} from './loading';
import { TrialsBody } from './TrialsBody';

/**
 * The "Experiments and trials" view (main area), like SageMaker Studio's: every
 * trial of every experiment in one sortable, filterable table, with metrics and
 * hyperparameters as columns, a side-by-side comparison of chosen trials, charts
 * across experiments and a CSV export. Polls while an experiment runs.
 */
export class TrialsView extends PolledView {
  constructor(options: TrialsView.IOptions) {
    super('jupyter-autopilot:trials', () => options.model.timing);
    this.model = options.model;
    this.actions = options.actions;
    this.contents = options.contents;
    this.translator = options.translator ?? nullTranslator;
    this.addClass('jp-AutopilotTrials');
    this.addClass('jp-Autopilot-view');
    this.model.experimentsChanged.connect(() => void this.refresh(), this);
  }

  readonly model: AutopilotModel;

  /** Load now (everything again when `full`) and poll fast again. */
  async refresh(full = false): Promise<void> {
    if (full) {
      this.fullReload = true;
    }
    await super.refresh();
  }

  protected render(): JSX.Element {
    const trans = this.translator.load(TRANSLATION_DOMAIN);
    return (
      <TransContext.Provider value={trans}>
        <TrialsBody
          data={this.data}
          actions={this.actions}
          contents={this.contents}
          onRefresh={() => void this.refresh(true)}
        />
      </TransContext.Provider>
    );
  }

  /**
   * One poll tick: the experiments list, then the trials of the experiments that
   * changed or run (all of them the first time). Resolves true while one runs.
   */
  protected async load(): Promise<boolean> {
    // Trials sort and compare by their metrics' directions: know them first.
    await this.model.metricDirectionsKnown();
    let experiments: ExperimentSummary[];
    try {
      experiments = (await this.model.client.listExperiments({ limit: 1000 }))
        .experiments;
      const previous = this.fullReload ? null : this.data.experiments;
      this.fullReload = false;
      let reload = experimentsToReload(previous, experiments);
      const known = new Set(experiments.map(e => e.name));
      let trials = this.data.trials ?? [];
      let truncated = this.data.truncated;
      if (reload === null || reload.length > 0) {
        const query = { limit: MAX_TRIALS };
        let answer;
        try {
          answer = await this.model.client.listTrials(
            reload === null ? query : { ...query, experiments: reload }
          );
        } catch (error) {
          // An experiment deleted since the list was read: ask for everything.
          if (reload === null || !isNotFound(error)) {
            throw error;
          }
          reload = null;
          answer = await this.model.client.listTrials(query);
        }
        const more = answer.total > answer.trials.length;
        truncated = reload === null ? more : truncated || more;
        trials = mergeTrials(trials, answer.trials, reload, known);
      } else {
        trials = mergeTrials(trials, [], [], known);
      }
      this.data = { experiments, trials, truncated, error: null };
    } catch (error) {
      this.data = { ...this.data, error };
      this.update();
      throw error;
    }
    this.update();
    return experiments.some(experimentRunning);
  }

  private data: ITrialsData = {
    experiments: null,
    trials: null,
    truncated: false,
    error: null
  };
  private fullReload = false;
  private actions: IAutopilotActions;
  private contents: Contents.IManager;
  private translator: ITranslator;
}

export namespace TrialsView {
  export interface IOptions {
    model: AutopilotModel;
    actions: IAutopilotActions;
    /** Where "Export CSV" writes (the Jupyter server's contents). */
    contents: Contents.IManager;
    translator?: ITranslator;
  }
}
