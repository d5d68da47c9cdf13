import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import type { Artifact, Candidate, Experiment } from '../api/types';
import { TransContext, TRANSLATION_DOMAIN } from '../common/components';
import { PolledView } from '../common/poll';
import { isDryRun } from '../logic/dryRun';
import { isNotFound } from '../logic/errors';
import { isExperimentActive } from '../logic/status';
import { AutopilotModel, IAutopilotActions } from '../model';
import { ExperimentDetail } from './ExperimentDetail';

/** What the view knows about its experiment. */
export interface IExperimentData {
  experiment: Experiment | null;
  candidates: Candidate[] | null;
  artifacts: Artifact[] | null;
  error: unknown;
  gone: boolean;
}

/**
 * The detail view of one experiment (main area): stage tracker, notebooks,
 * leaderboard, candidate details and the actions (stop, re-run, deploy, clean up).
 */
export class ExperimentView extends PolledView {
  constructor(options: ExperimentView.IOptions) {
    super(
      `jupyter-autopilot:experiment:${options.name}`,
      () => options.model.timing
    );
    this.name = options.name;
    this.model = options.model;
    this.actions = options.actions;
    this.translator = options.translator ?? nullTranslator;
    this.addClass('jp-AutopilotExperiment');
    this.addClass('jp-Autopilot-view');
    this.model.experimentsChanged.connect((_, name) => {
      if (name === null || name === this.name) {
        void this.refresh();
      }
    }, this);
  }

  /** The experiment's name. */
  readonly name: string;

  protected render(): JSX.Element {
    const trans = this.translator.load(TRANSLATION_DOMAIN);
    return (
      <TransContext.Provider value={trans}>
        <ExperimentDetail
          name={this.name}
          data={this.data}
          model={this.model}
          actions={this.actions}
          trans={trans}
          refresh={() => void this.refresh()}
          forget={() => this.forget()}
        />
      </TransContext.Provider>
    );
  }

  /** One poll tick; resolves true while the experiment is moving. */
  protected async load(): Promise<boolean> {
    if (this.data.gone) {
      return false;
    }
    // The leaderboard sorts best first by its metric's direction: know it first.
    await this.model.metricDirectionsKnown();
    let experiment: Experiment;
    try {
      experiment = await this.model.client.getExperiment(this.name);
    } catch (error) {
      const gone = isNotFound(error);
      this.data = { ...this.data, error: gone ? null : error, gone };
      this.update();
      if (gone) {
        return false;
      }
      throw error;
    }
    const previous = this.data.experiment;
    // A dry run is remembered as Queued, but nothing runs: no need to poll fast.
    const active =
      isExperimentActive(experiment.status) &&
      !isDryRun(experiment.backend_details);
    const statusChanged = previous?.status !== experiment.status;
    const stagesChanged =
      JSON.stringify(previous?.stages?.map(s => s.status)) !==
      JSON.stringify(experiment.stages?.map(s => s.status));
    const tuning =
      (experiment.stages ?? []).some(
        s => s.name === 'model_tuning' && s.status !== 'pending'
      ) || experiment.candidates_completed > 0;
    const wantCandidates =
      tuning &&
      (active ||
        statusChanged ||
        this.data.candidates === null ||
        stagesChanged);
    const notebooksMissing =
      this.data.artifacts === null ||
      this.data.artifacts.some(
        a =>
          (a.kind === 'data_exploration_notebook' ||
            a.kind === 'candidate_definitions_notebook') &&
          !a.available
      );
    const wantArtifacts =
      this.data.artifacts === null ||
      statusChanged ||
      stagesChanged ||
      (active && notebooksMissing);
    const [candidates, artifacts] = await Promise.all([
      wantCandidates
        ? this.model.client.listCandidates(this.name, { limit: 1000 }).then(
            r => r.candidates,
            () => this.data.candidates
          )
        : Promise.resolve(tuning ? this.data.candidates : []),
      wantArtifacts
        ? this.model.client.listArtifacts(this.name).then(
            r => r.artifacts,
            () => this.data.artifacts
          )
        : Promise.resolve(this.data.artifacts)
    ]);
    this.data = { experiment, candidates, artifacts, error: null, gone: false };
    if (statusChanged && previous) {
      // Keep the sidebar in step with what this view sees.
      this.model.experimentsChanged.emit(null);
    }
    this.update();
    return active;
  }

  private forget(): void {
    this.data = {
      experiment: null,
      candidates: null,
      artifacts: null,
      error: null,
      gone: false
    };
    this.update();
    void this.refresh();
  }

  private data: IExperimentData = {
    experiment: null,
    candidates: null,
    artifacts: null,
    error: null,
    gone: false
  };
  private model: AutopilotModel;
  private actions: IAutopilotActions;
  private translator: ITranslator;
}

export namespace ExperimentView {
  export interface IOptions {
    name: string;
    model: AutopilotModel;
    actions: IAutopilotActions;
    translator?: ITranslator;
  }
}
