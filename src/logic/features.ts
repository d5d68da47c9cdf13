/**
 * What the active backend can do, read from the health answer's
 * `features.not_implemented` (operations it answers 501 for). The one home of
 * these checks: panels hide what the backend cannot do.
 */
import type { Health } from '../api/types';

type Features = Pick<Health, 'features'> | null | undefined;

/** Whether the backend answers 501 for `operation` (false before health is known). */
export function notImplemented(health: Features, operation: string): boolean {
  return health?.features.not_implemented?.includes(operation) ?? false;
}

/** Whether the backend splits traffic between candidates (changes weights). */
export function variantsSupported(health: Features): boolean {
  return !notImplemented(health, 'update_traffic');
}

/** Whether the backend exports candidates as model.tar.gz for SageMaker (local). */
export function exportSupported(health: Features): boolean {
  return !notImplemented(health, 'export_candidate');
}

/** Whether the backend deploys exported model.tar.gz archives (sagemaker). */
export function deployArtifactSupported(health: Features): boolean {
  return !notImplemented(health, 'deploy_artifact');
}

/** Whether the backend serves the monitoring routes (the sagemaker one answers 501). */
export function monitoringSupported(health: Features): boolean {
  return !notImplemented(health, 'monitoring_status');
}
