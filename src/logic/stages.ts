/**
 * The four Autopilot stages: elapsed time, labels and a readable status line.
 */
import type {
  Experiment,
  ExperimentSummary,
  Stage,
  StageStatus
} from '../api/types';
import { elapsedSeconds } from '../format';
import { identityTrans, Trans } from './trans';

/** Seconds a stage has run (until now while running), or null before it starts. */
export function stageElapsed(
  stage: Stage,
  now: number = Date.now()
): number | null {
  if (!stage.started_at) {
    return null;
  }
  if (stage.status === 'running') {
    return elapsedSeconds(stage.started_at, null, now);
  }
  return elapsedSeconds(
    stage.started_at,
    stage.ended_at ?? stage.started_at,
    now
  );
}

/** Whether any stage is running (drives the activity animation and the clock). */
export function anyStageRunning(stages: readonly Stage[]): boolean {
  return stages.some(s => s.status === 'running');
}

/** Share of the stages that are finished (done or skipped), 0..1. */
export function stagesProgress(stages: readonly Stage[]): number {
  if (!stages.length) {
    return 0;
  }
  let total = 0;
  for (const stage of stages) {
    if (stage.status === 'done' || stage.status === 'skipped') {
      total += 1;
    } else if (
      stage.status === 'running' &&
      typeof stage.progress === 'number'
    ) {
      total += stage.progress;
    }
  }
  return total / stages.length;
}

/** The status word shown under each stage. */
export function stageStatusLabel(
  status: StageStatus,
  trans: Trans = identityTrans
): string {
  switch (status) {
    case 'pending':
      return trans.__('Pending');
    case 'running':
      return trans.__('In progress');
    case 'done':
      return trans.__('Completed');
    case 'failed':
      return trans.__('Failed');
    case 'skipped':
      return trans.__('Skipped');
    default:
      return status;
  }
}

/** The experiment status as words ("In progress", not "InProgress"). */
export function experimentStatusLabel(
  status: ExperimentSummary['status'],
  trans: Trans = identityTrans
): string {
  switch (status) {
    case 'Queued':
      return trans.__('Queued');
    case 'InProgress':
      return trans.__('In progress');
    case 'Completed':
      return trans.__('Completed');
    case 'Failed':
      return trans.__('Failed');
    case 'Stopping':
      return trans.__('Stopping');
    case 'Stopped':
      return trans.__('Stopped');
    case 'Interrupted':
      return trans.__('Interrupted');
    default:
      return status;
  }
}

/** The title of the stage running now (or the last one that ran), for list rows. */
export function currentStageTitle(
  experiment: ExperimentSummary
): string | null {
  const stages = experiment.stages ?? [];
  const running = stages.find(s => s.status === 'running');
  if (running) {
    return running.title;
  }
  if (experiment.current_stage) {
    return stages.find(s => s.name === experiment.current_stage)?.title ?? null;
  }
  return null;
}

/**
 * One or two sentences saying where the experiment stands and what to do next.
 */
export function statusSentence(
  experiment: Experiment,
  trans: Trans = identityTrans
): string {
  switch (experiment.status) {
    case 'Queued':
      return trans.__(
        'Waiting for another experiment to finish before it starts.'
      );
    case 'InProgress': {
      const running = (experiment.stages ?? []).find(
        s => s.status === 'running'
      );
      return running
        ? trans.__('Running: %1.', running.message || running.title)
        : trans.__('Starting…');
    }
    case 'Stopping':
      return trans.__('Stopping: finished candidates are kept.');
    case 'Completed':
      return experiment.spec?.mode === 'pilot'
        ? trans.__(
            'Pilot run complete: the candidate definitions notebook is ready. Run a complete experiment to train models.'
          )
        : trans.__('Completed. The best candidate is ready to deploy.');
    case 'Failed':
      return experiment.failure_reason
        ? trans.__('Failed: %1', experiment.failure_reason)
        : trans.__('Failed. The worker log has the details.');
    case 'Stopped':
      return trans.__(
        'Stopped. Finished candidates are kept; Re-run starts it again.'
      );
    case 'Interrupted':
      return experiment.failure_reason
        ? trans.__(
            'Interrupted: %1 Re-run to start it again.',
            experiment.failure_reason
          )
        : trans.__(
            'Interrupted (the server stopped while it ran). Re-run to start it again.'
          );
    default:
      return experiment.status;
  }
}

/** Any status of the API (experiment, candidate, endpoint, batch) as words. */
export function statusLabel(
  status: string,
  trans: Trans = identityTrans
): string {
  switch (status) {
    case 'Queued':
    case 'InProgress':
    case 'Completed':
    case 'Failed':
    case 'Stopping':
    case 'Stopped':
    case 'Interrupted':
      return experimentStatusLabel(status, trans);
    case 'Pruned':
      return trans.__('Pruned');
    case 'Creating':
      return trans.__('Creating');
    case 'InService':
      return trans.__('In service');
    case 'Updating':
      return trans.__('Updating');
    case 'Deleting':
      return trans.__('Deleting');
    case 'OutOfService':
      return trans.__('Out of service');
    default:
      return status;
  }
}
