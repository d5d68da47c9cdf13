/**
 * What the trials view shows when there is no trial yet.
 */
import { addIcon, Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { ExperimentSummary } from '../api/types';
import { ButtonIcon, useTrans } from '../common/components';

/** Why there is nothing to list, and what to do about it. */
export function EmptyTrials(props: {
  experiments: ExperimentSummary[];
  running: boolean;
  onCreate: () => void;
}): JSX.Element {
  const trans = useTrans();
  const none = props.experiments.length === 0;
  return (
    <div className="jp-AutopilotTrials-empty jp-AutopilotTrials-emptyState">
      <p className="jp-AutopilotTrials-emptyTitle">
        {none
          ? trans.__('No experiments yet, so no trials')
          : trans.__('No trials yet')}
      </p>
      <p>
        {trans.__(
          'A trial is one model that Autopilot trains and scores during Model Tuning. Every trial of every experiment is listed here, with its metrics and hyperparameters, to sort, filter, compare and chart.'
        )}
      </p>
      {none ? (
        <ol>
          <li>
            {trans.__('Create an experiment on a CSV file (a complete run).')}
          </li>
          <li>
            {trans.__(
              'Its trials appear here as soon as Model Tuning starts, and update live.'
            )}
          </li>
        </ol>
      ) : (
        <p>
          {props.running
            ? trans.__(
                'An experiment is running: its trials appear here as soon as Model Tuning starts.'
              )
            : trans.__(
                'None of your experiments trained models (pilot runs only write the candidate definitions notebook). Create a complete run to get trials.'
              )}
        </p>
      )}
      <Button className="jp-Autopilot-primary" onClick={props.onCreate}>
        <ButtonIcon icon={addIcon} />
        {trans.__('Create experiment')}
      </Button>
    </div>
  );
}
