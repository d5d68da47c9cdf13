/**
 * Small JupyterLab dialogs every feature uses: confirm an action, show an error.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';

import { errorMessage } from '../logic/errors';

/** Ask before a destructive or long action; resolves true when confirmed. */
export async function confirm(options: {
  trans: TranslationBundle;
  title: string;
  body: string;
  accept: string;
  warn?: boolean;
}): Promise<boolean> {
  const result = await showDialog({
    title: options.title,
    body: options.body,
    buttons: [
      Dialog.cancelButton({ label: options.trans.__('Cancel') }),
      options.warn
        ? Dialog.warnButton({ label: options.accept })
        : Dialog.okButton({ label: options.accept })
    ],
    defaultButton: options.warn ? 0 : 1
  });
  return result.button.accept;
}

/** An error in a dialog (for actions that have no panel to show it in). */
export async function showError(
  trans: TranslationBundle,
  title: string,
  error: unknown
): Promise<void> {
  await showDialog({
    title,
    body: errorMessage(error, trans),
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}
