/**
 * What both deploy dialogs share: the submit loop (form, request, dry run or
 * follow the deployment) and the names already taken.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';

import type { Endpoint } from '../api/types';
import { isDryRun } from '../logic/dryRun';
import { AutopilotModel } from '../model';
import { followDeployment, showDryRun } from './DeployProgress';

/**
 * The loop both deploy dialogs run: show the form (with the last server error), build
 * the request, send it; a dry run shows its requests, a real deploy is followed until
 * it is in service. Resolves with the endpoint name, or null if cancelled.
 */
export async function submitDeployForm<F, R>(options: {
  model: AutopilotModel;
  trans: TranslationBundle;
  title: string;
  focusNodeSelector: string;
  initial: F;
  body: (form: F, serverError: unknown) => Dialog.IBodyWidget<F>;
  request: (form: F) => R | null | undefined;
  send: (request: R) => Promise<Endpoint>;
  onOpenEndpoint: (name: string) => void;
}): Promise<string | null> {
  const { model, trans } = options;
  let form = options.initial;
  let serverError: unknown = null;
  for (;;) {
    const result = await showDialog({
      title: options.title,
      body: options.body(form, serverError),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Deploy') })
      ],
      focusNodeSelector: options.focusNodeSelector
    });
    if (!result.button.accept || !result.value) {
      return null;
    }
    form = result.value;
    const request = options.request(form);
    if (!request) {
      serverError = new Error(trans.__('Fix the highlighted fields.'));
      continue;
    }
    try {
      const endpoint = await options.send(request);
      if (isDryRun(endpoint.backend_details)) {
        void showDryRun(trans, endpoint);
        return null;
      }
      model.endpointsChanged.emit(endpoint.name);
      void followDeployment({
        model,
        trans,
        endpoint,
        onOpenEndpoint: options.onOpenEndpoint
      });
      return endpoint.name;
    } catch (error) {
      serverError = error;
    }
  }
}

/** Names of the existing endpoints (to suggest a free one); none if listing fails. */
export async function existingEndpointNames(
  model: AutopilotModel
): Promise<string[]> {
  try {
    return (await model.client.listEndpoints()).endpoints.map(e => e.name);
  } catch {
    return [];
  }
}
