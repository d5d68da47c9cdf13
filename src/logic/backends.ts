/**
 * The server's backends as the panels name them (a server can offer more than one:
 * `Health.backends`).
 */
import type { Trans } from './trans';

/** The backend that runs experiments on SageMaker (and reads data from S3). */
export const SAGEMAKER_BACKEND = 'sagemaker';

/** A backend's name as the panels show it ("Local", "SageMaker"; others as named). */
export function backendName(name: string, trans: Trans): string {
  if (name === SAGEMAKER_BACKEND) {
    return trans.__('SageMaker');
  }
  if (name === 'local') {
    return trans.__('Local');
  }
  return name;
}
