import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { Artifact, Candidate, Experiment } from '../api/types';
import { IResourceData, ResourceView } from '../common/ResourceView';
import { isDryRun } from '../logic/dryRun';
import { isExperimentActive } from '../logic/status';
import { ExperimentDetail } from './ExperimentDetail';

/** What the view knows about its experiment. */
export interface IExperimentData extends IResourceData {
  experiment: Experiment | null;
  candidates: Candidate[] | null;
  artifacts: Artifact[] | null;
}

const EMPTY: IExperimentData = {
  experiment: null,
  candidates: null,
  artifacts: null,
  error: null,
  gone: false
};

/**
 * The detail view of one experiment (main area): stage tracker, notebooks,
 * leaderboard, candidate details and the actions (stop, re-run, deploy, clean up).
 */
export class ExperimentView extends ResourceView<Experiment, IExperimentData> {
  constructor(options: ExperimentView.IOptions) {
    super({
      ...options,
      kind: 'experiment',
      className: 'jp-AutopilotExperiment',
      changed: options.model.experimentsChanged,
      empty: EMPTY
    });
  }

  protected renderDetail(trans: TranslationBundle): JSX.Element {
    return (
      <ExperimentDetail
        {...this.detailProps(trans)}
        forget={() => this.forget()}
      />
    );
  }

  protected fetch(): Promise<Experiment> {
    return this.model.client.getExperiment(this.name);
  }

  /** Candidates and artifacts, fetched again only when they may have changed. */
  protected async loaded(experiment: Experiment): Promise<boolean> {
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
    this.data = EMPTY;
    this.update();
    void this.refresh();
  }
}

export namespace ExperimentView {
  export type IOptions = Omit<
    ResourceView.IOptions<IExperimentData>,
    'kind' | 'className' | 'changed' | 'empty'
  >;
}
