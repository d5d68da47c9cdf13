/**
 * The question asked before an endpoint is deleted (from the sidebar or its view).
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import { confirm } from '../common/dialogs';

/** Ask before deleting endpoint `name`; resolves true when the user confirms. */
export function confirmDeleteEndpoint(
  trans: TranslationBundle,
  name: string
): Promise<boolean> {
  return confirm({
    trans,
    title: trans.__('Delete endpoint %1?', name),
    body: trans.__(
      'The model stops serving predictions. The experiment and its models are kept.'
    ),
    accept: trans.__('Delete'),
    warn: true
  });
}
