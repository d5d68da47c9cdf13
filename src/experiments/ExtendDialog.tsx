/**
 * Continue an ended local experiment's search: ask for more minutes and/or more
 * candidates, then POST experiments/{name}/extend. Finished trials are kept.
 */
import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { Experiment, ExperimentExtendRequest } from '../api/types';
import { AutopilotModel } from '../model';

/** The request for the dialog's two fields ('' = not added); null when neither is a
 * positive whole number (the server would refuse it). */
export function extendRequest(
  minutes: string,
  candidates: string
): ExperimentExtendRequest | null {
  const whole = (text: string) => {
    const value = Number(text.trim());
    return text.trim() !== '' && Number.isInteger(value) && value > 0
      ? value
      : null;
  };
  const m = whole(minutes);
  const c = whole(candidates);
  if (
    (minutes.trim() !== '' && m === null) ||
    (candidates.trim() !== '' && c === null)
  ) {
    return null;
  }
  if (m === null && c === null) {
    return null;
  }
  return {
    additional_seconds: m === null ? null : m * 60,
    additional_candidates: c
  };
}

class ExtendBody
  extends ReactWidget
  implements Dialog.IBodyWidget<ExperimentExtendRequest | null>
{
  constructor(
    private trans: TranslationBundle,
    private experiment: Experiment
  ) {
    super();
    this.addClass('jp-AutopilotDialog');
  }

  getValue(): ExperimentExtendRequest | null {
    return extendRequest(this.minutes, this.candidates);
  }

  protected render(): JSX.Element {
    const trans = this.trans;
    const budget = this.experiment.budget;
    return (
      <div className="jp-AutopilotDialog-body">
        <p>
          {trans.__(
            'The search continues where it stopped: every finished candidate is kept, then the ensemble, the best model, the notebooks and the reports are redone over all of them.'
          )}
        </p>
        <label className="jp-Autopilot-field">
          {trans.__('More candidates')}
          <input
            className="jp-mod-styled"
            type="number"
            min={1}
            aria-label={trans.__('More candidates')}
            placeholder={
              budget
                ? trans.__('budget now %1', budget.max_candidates)
                : undefined
            }
            onChange={e => {
              this.candidates = e.target.value;
            }}
          />
        </label>
        <label className="jp-Autopilot-field">
          {trans.__('More minutes')}
          <input
            className="jp-mod-styled"
            type="number"
            min={1}
            aria-label={trans.__('More minutes')}
            placeholder={trans.__('default: the same time limit again')}
            onChange={e => {
              this.minutes = e.target.value;
            }}
          />
        </label>
      </div>
    );
  }

  private minutes = '';
  private candidates = '';
}

/** Ask how much to add and continue `experiment`; true when it was continued. */
export async function extendWithDialog(options: {
  model: AutopilotModel;
  trans: TranslationBundle;
  experiment: Experiment;
}): Promise<boolean> {
  const { model, trans, experiment } = options;
  const result = await showDialog({
    title: trans.__('Continue %1', experiment.name),
    body: new ExtendBody(trans, experiment),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Continue') })
    ]
  });
  if (!result.button.accept) {
    return false;
  }
  if (result.value === null) {
    throw new Error(
      trans.__(
        'Enter a whole number of more candidates and/or more minutes to continue the search.'
      )
    );
  }
  await model.client.extendExperiment(experiment.name, result.value);
  return true;
}
