/**
 * What a status means: the one home of the status sets (which experiment statuses
 * are still moving, which endpoints are busy). Polling, filtering and the views all
 * ask here.
 */
import type {
  BatchPrediction,
  Endpoint,
  ExperimentStatus,
  ExperimentSummary
} from '../api/types';

/** Statuses after which an experiment never changes by itself. */
export const TERMINAL_STATUSES: ReadonlySet<ExperimentStatus> = new Set([
  'Completed',
  'Failed',
  'Stopped',
  'Interrupted'
]);

/** Statuses of an experiment that is queued, running or stopping. */
export function isExperimentActive(status: ExperimentStatus): boolean {
  return !TERMINAL_STATUSES.has(status);
}

/** Statuses of an experiment a worker is training: running or stopping (not queued). */
export function isExperimentRunning(status: ExperimentStatus): boolean {
  return status === 'InProgress' || status === 'Stopping';
}

/** Statuses that may be re-run with the same spec. */
export function canRerun(status: ExperimentStatus): boolean {
  return (
    status === 'Failed' || status === 'Stopped' || status === 'Interrupted'
  );
}

/** Whether any experiment of the list is still moving. */
export function anyExperimentActive(
  list: readonly ExperimentSummary[]
): boolean {
  return list.some(e => isExperimentActive(e.status));
}

/** Endpoints in a transitional status (being created, updated or deleted). */
export function isEndpointBusy(status: Endpoint['status']): boolean {
  return (
    status === 'Creating' || status === 'Updating' || status === 'Deleting'
  );
}

/** Whether a batch prediction is still running. */
export function isBatchRunning(
  batch: Pick<BatchPrediction, 'status'>
): boolean {
  return batch.status === 'InProgress';
}
