/**
 * What the experiment view's buttons do: stop, re-run, continue, deploy, clean up, and
 * exclude columns then start again. One action at a time; its error is kept
 * until dismissed, and the view refreshes after each.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { Candidate, Experiment } from '../api/types';
import { cleanupWithDialog } from '../cleanup/CleanupDialog';
import { confirm } from '../common/dialogs';
import { deployWithDialog } from '../deploy/DeployForm';
import { extendWithDialog } from './ExtendDialog';
import { uniqueName } from '../logic/names';
import { isExperimentActive } from '../logic/status';
import { AutopilotModel, IAutopilotActions } from '../model';

/** How long "exclude and restart" waits for a running experiment to stop. */
const STOP_TIMEOUT_MS = 120 * 1000;

/** Stop `name` if it runs and wait until it is no longer active. */
async function stopAndWait(
  model: AutopilotModel,
  experiment: Experiment,
  trans: TranslationBundle
): Promise<void> {
  if (!isExperimentActive(experiment.status)) {
    return;
  }
  if (experiment.status !== 'Stopping') {
    await model.client.stopExperiment(experiment.name);
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  for (;;) {
    const current = await model.client.getExperiment(experiment.name);
    if (!isExperimentActive(current.status)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        trans.__('The experiment did not stop within 2 minutes; try again.')
      );
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

/** The experiment view's actions over `experiment`. */
export function useExperimentActions(options: {
  model: AutopilotModel;
  actions: IAutopilotActions;
  trans: TranslationBundle;
  experiment: Experiment;
  candidates: Candidate[] | null;
  refresh: () => void;
  /** The experiment's results were replaced or deleted: drop what the view keeps. */
  forget: () => void;
  /** The experiment starts again: forget the selected candidate and its details. */
  restarted: () => void;
}) {
  const { model, actions, trans } = options;
  const e = options.experiment;
  const [busy, setBusy] = React.useState<string | null>(null);
  const [error, setError] = React.useState<unknown>(null);

  const run = async (label: string, action: () => Promise<unknown>) => {
    setBusy(label);
    setError(null);
    try {
      await action();
    } catch (error) {
      setError(error);
    } finally {
      setBusy(null);
      options.refresh();
    }
  };
  const deploy = (candidate?: string) =>
    void run('deploy', () =>
      deployWithDialog({
        model,
        trans,
        experiment: e.name,
        objectiveMetric: e.objective?.metric ?? null,
        candidates: options.candidates ?? [],
        candidate,
        inVpc: !!e.spec.vpc_config,
        forecaster: e.spec.problem_type === 'TimeSeriesForecasting',
        onOpenEndpoint: name => actions.openEndpoint(name)
      })
    );
  const stop = () =>
    void run('stop', () =>
      model.client
        .stopExperiment(e.name)
        .then(() => model.experimentsChanged.emit(e.name))
    );
  const rerun = () =>
    void run('rerun', async () => {
      const ok = await confirm({
        trans,
        title: trans.__('Re-run %1?', e.name),
        body: trans.__(
          'The experiment starts again from the beginning with the same settings; its current candidates and notebooks are replaced.'
        ),
        accept: trans.__('Re-run')
      });
      if (ok) {
        await model.client.rerunExperiment(e.name);
        options.restarted();
        model.experimentsChanged.emit(e.name);
        options.forget();
      }
    });
  const extend = () =>
    void run('extend', async () => {
      if (await extendWithDialog({ model, trans, experiment: e })) {
        options.restarted();
        model.experimentsChanged.emit(e.name);
      }
    });
  const cleanup = () =>
    void run('cleanup', async () => {
      const ran = await cleanupWithDialog({
        model,
        trans,
        experiment: e.name
      });
      if (ran) {
        options.forget();
      }
    });
  const excludeAndRestart = (columns: string[]) =>
    void run('exclude', async () => {
      const spec = {
        ...e.spec,
        exclude_columns: Array.from(
          new Set([...(e.spec.exclude_columns ?? []), ...columns])
        )
      };
      const health = await model.health();
      if (health.features.s3) {
        // SageMaker job names cannot be reused: start a new experiment from the wizard.
        const taken = (
          await model.client.listExperiments({ limit: 1000 })
        ).experiments.map(x => x.name);
        actions.createExperiment({
          spec: { ...spec, name: uniqueName(e.name, new Set(taken), 32) }
        });
        return;
      }
      const ok = await confirm({
        trans,
        title: trans.__('Exclude %1 and start again?', columns.join(', ')),
        body: trans.__(
          'Autopilot stops %1 if it is running, deletes its results and starts it again without %2.',
          e.name,
          columns.join(', ')
        ),
        accept: trans.__('Exclude and restart')
      });
      if (!ok) {
        return;
      }
      await stopAndWait(model, e, trans);
      await model.client.deleteExperiment(e.name);
      await model.client.createExperiment(spec);
      options.restarted();
      model.experimentsChanged.emit(e.name);
      options.forget();
    });
  return {
    busy,
    error,
    dismissError: () => setError(null),
    deploy,
    stop,
    rerun,
    extend,
    cleanup,
    excludeAndRestart
  };
}
