/**
 * The create-experiment wizard as a main-area widget.
 */
import { ReactWidget } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import type { ExperimentSpec, SampleDataset } from '../api/types';
import { TransContext, TRANSLATION_DOMAIN } from '../common/components';
import { AutopilotModel, IAutopilotActions } from '../model';
import { CreateWizard } from './CreateWizard';
import type { ITransfer } from './transfer';

/**
 * The create-experiment wizard (main area): data, target and columns,
 * settings, review.
 */
export class CreateExperimentWidget extends ReactWidget {
  constructor(options: CreateExperimentWidget.IOptions) {
    super();
    this.options = options;
    this.addClass('jp-AutopilotCreate');
    this.addClass('jp-Autopilot-view');
  }

  protected render(): JSX.Element {
    const trans = (this.options.translator ?? nullTranslator).load(
      TRANSLATION_DOMAIN
    );
    return (
      <TransContext.Provider value={trans}>
        <WizardHost {...this.options} />
      </TransContext.Provider>
    );
  }

  private options: CreateExperimentWidget.IOptions;
}

/**
 * The wizard, or, after "Run on SageMaker", the sagemaker backend's wizard on the
 * same form (a new one: its health, checks and steps are that backend's).
 */
function WizardHost(props: CreateExperimentWidget.IOptions): JSX.Element {
  const [moved, setMoved] = React.useState<{
    model: AutopilotModel;
    transfer: ITransfer;
  } | null>(null);
  const onDone = () => props.onDone?.();
  if (moved) {
    return (
      <CreateWizard
        key="moved"
        model={moved.model}
        actions={props.actions}
        sample={props.sample}
        transfer={moved.transfer}
        onDone={onDone}
      />
    );
  }
  return (
    <CreateWizard
      model={props.model}
      actions={props.actions}
      initialPath={props.path}
      initialTarget={props.target}
      sample={props.sample}
      initialSpec={props.spec}
      onMove={(model, transfer) => setMoved({ model, transfer })}
      onDone={onDone}
    />
  );
}

export namespace CreateExperimentWidget {
  export interface IOptions {
    model: AutopilotModel;
    actions: IAutopilotActions;
    translator?: ITranslator;
    /** Preselected data file (from the file browser's context menu). */
    path?: string;
    /**
     * Preselected target column; with `path`, the wizard opens on "Target and
     * columns" (on S3 backends on "Data", to upload the file first).
     */
    target?: string;
    /** The shipped sample `path` is a copy of ("Try the tutorial"): its credit is shown. */
    sample?: SampleDataset;
    /** A spec to start from (re-create with changes). */
    spec?: ExperimentSpec;
    /** Called after the experiment was created or the user cancelled. */
    onDone?: () => void;
  }
}
