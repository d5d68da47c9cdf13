/**
 * Clean up an experiment (and what it made): the plan of what would be deleted
 * and what it costs, confirmed by the user, then the deletions as they run.
 */
import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { CleanupItem, CleanupPlan, CleanupResult } from '../api/types';
import {
  ErrorMessage,
  Loading,
  Notice,
  ProgressBar,
  TransContext,
  useTrans
} from '../common/components';
import { formatBytes } from '../format';
import { AutopilotModel } from '../model';

/** A resource kind as words. */
export function resourceKindLabel(
  kind: CleanupItem['kind'],
  trans: Pick<TranslationBundle, '__'>
): string {
  const labels: Record<string, string> = {
    endpoint: trans.__('Endpoint'),
    endpoint_config: trans.__('Endpoint configuration'),
    model: trans.__('Model'),
    s3_object: trans.__('S3 object'),
    s3_prefix: trans.__('S3 folder'),
    directory: trans.__('Folder'),
    file: trans.__('File'),
    dataset: trans.__('Dataset copy'),
    experiment_record: trans.__('Experiment record')
  };
  return labels[kind] ?? kind;
}

function CleanupItems(props: {
  items: CleanupItem[];
  label: string;
}): JSX.Element {
  const trans = useTrans();
  return (
    <ul className="jp-AutopilotCleanup-items" aria-label={props.label}>
      {props.items.map((item, i) => (
        <li key={`${item.kind}:${item.name}:${i}`}>
          <span className="jp-AutopilotCleanup-kind">
            {resourceKindLabel(item.kind, trans)}
          </span>
          <span className="jp-AutopilotCleanup-name">{item.name}</span>
          <span className="jp-AutopilotCleanup-description">
            {item.description}
            {item.size_bytes ? ` · ${formatBytes(item.size_bytes)}` : ''}
            {item.hourly_cost_usd
              ? ` · ${trans.__('$%1/hour', item.hourly_cost_usd.toFixed(3))}`
              : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

class CleanupPlanBody
  extends ReactWidget
  implements Dialog.IBodyWidget<{ deleteExperiment: boolean } | null>
{
  constructor(
    private props: {
      trans: TranslationBundle;
      model: AutopilotModel;
      experiment: string;
    }
  ) {
    super();
    this.addClass('jp-AutopilotDialog');
  }

  getValue(): { deleteExperiment: boolean } | null {
    return this.ready ? { deleteExperiment: this.deleteExperiment } : null;
  }

  protected render(): JSX.Element {
    return (
      <TransContext.Provider value={this.props.trans}>
        <CleanupPlanView
          {...this.props}
          onReady={this.onReady}
          onChange={this.onChange}
        />
      </TransContext.Provider>
    );
  }

  // Stable callbacks: the view loads the plan once per callback identity.
  private onReady = () => {
    this.ready = true;
  };
  private onChange = (value: boolean) => {
    this.deleteExperiment = value;
  };
  private ready = false;
  private deleteExperiment = false;
}

function CleanupPlanView(props: {
  model: AutopilotModel;
  experiment: string;
  onReady: () => void;
  onChange: (deleteExperiment: boolean) => void;
}): JSX.Element {
  const trans = useTrans();
  const [plan, setPlan] = React.useState<CleanupPlan | null>(null);
  const [error, setError] = React.useState<unknown>(null);
  const [deleteExperiment, setDeleteExperiment] = React.useState(false);
  const { model, experiment, onReady } = props;
  const load = React.useCallback(() => {
    setError(null);
    model.client.cleanupPlan(experiment).then(p => {
      setPlan(p);
      onReady();
    }, setError);
  }, [model, experiment, onReady]);
  React.useEffect(load, [load]);
  if (error) {
    return (
      <div className="jp-AutopilotDialog-body">
        <ErrorMessage error={error} onRetry={load} />
      </div>
    );
  }
  if (!plan) {
    return (
      <div className="jp-AutopilotDialog-body">
        <Loading label={trans.__('Listing what the experiment created…')} />
      </div>
    );
  }
  const items: CleanupItem[] = [
    ...plan.items,
    ...(deleteExperiment
      ? [
          {
            kind: 'experiment_record' as const,
            name: props.experiment,
            description: trans.__(
              'The experiment and its leaderboard in the Autopilot panel'
            ),
            size_bytes: null,
            hourly_cost_usd: null
          }
        ]
      : [])
  ];
  const hourly = plan.items.reduce(
    (sum, i) => sum + (i.hourly_cost_usd ?? 0),
    0
  );
  return (
    <div className="jp-AutopilotDialog-body">
      {items.length ? (
        <>
          <p>{trans.__('These will be deleted:')}</p>
          <CleanupItems items={items} label={trans.__('Resources to delete')} />
          {hourly > 0 && (
            <Notice kind="warning">
              {trans.__(
                'These resources cost about $%1 per hour while they run.',
                hourly.toFixed(2)
              )}
            </Notice>
          )}
        </>
      ) : (
        <Notice kind="info">
          {trans.__('Nothing is left to clean up for this experiment.')}
        </Notice>
      )}
      <label className="jp-Autopilot-checkbox">
        <input
          type="checkbox"
          checked={deleteExperiment}
          onChange={e => {
            setDeleteExperiment(e.target.checked);
            props.onChange(e.target.checked);
          }}
        />
        {props.model.healthValue?.features.s3
          ? trans.__(
              'Also forget the experiment here (AWS keeps AutoML jobs, so it stays listed)'
            )
          : trans.__('Also remove the experiment from the list')}
      </label>
    </div>
  );
}

class CleanupRunBody extends ReactWidget {
  constructor(
    private props: {
      trans: TranslationBundle;
      model: AutopilotModel;
      experiment: string;
      deleteExperiment: boolean;
    }
  ) {
    super();
    this.addClass('jp-AutopilotDialog');
  }

  protected render(): JSX.Element {
    return (
      <TransContext.Provider value={this.props.trans}>
        <CleanupRun {...this.props} />
      </TransContext.Provider>
    );
  }
}

function CleanupRun(props: {
  model: AutopilotModel;
  experiment: string;
  deleteExperiment: boolean;
}): JSX.Element {
  const trans = useTrans();
  const [result, setResult] = React.useState<CleanupResult | null>(null);
  const [error, setError] = React.useState<unknown>(null);
  const { model, experiment, deleteExperiment } = props;
  // Runs once: the dialog body's props never change.
  React.useEffect(() => {
    model.client
      .cleanup(experiment, {
        include_outputs: true,
        delete_experiment: deleteExperiment
      })
      .then(r => {
        setResult(r);
        model.experimentsChanged.emit(experiment);
        model.endpointsChanged.emit(null);
      }, setError);
  }, [model, experiment, deleteExperiment]);
  if (error) {
    return (
      <div className="jp-AutopilotDialog-body">
        <ErrorMessage error={error} title={trans.__('Clean-up failed.')} />
      </div>
    );
  }
  if (!result) {
    return (
      <div className="jp-AutopilotDialog-body" aria-busy="true">
        <ProgressBar value={null} label={trans.__('Deleting')} />
        <p>{trans.__('Deleting…')}</p>
      </div>
    );
  }
  const failed = result.failed ?? [];
  return (
    <div className="jp-AutopilotDialog-body" aria-live="polite">
      {failed.length === 0 ? (
        <Notice kind="success" role="status">
          {result.deleted.length
            ? trans.__(
                'Deleted %1 items. Nothing is left.',
                result.deleted.length
              )
            : trans.__('There was nothing to delete. Nothing is left.')}
        </Notice>
      ) : (
        <Notice kind="error" role="alert">
          {trans.__('%1 items could not be deleted.', failed.length)}
        </Notice>
      )}
      {result.deleted.length > 0 && (
        <>
          <h4>{trans.__('Deleted')}</h4>
          <CleanupItems items={result.deleted} label={trans.__('Deleted')} />
        </>
      )}
      {failed.length > 0 && (
        <>
          <h4>{trans.__('Not deleted')}</h4>
          <ul
            className="jp-AutopilotCleanup-items jp-mod-failed"
            aria-label={trans.__('Not deleted')}
          >
            {failed.map((f, i) => (
              <li key={i}>
                <span className="jp-AutopilotCleanup-kind">
                  {resourceKindLabel(f.item.kind, trans)}
                </span>
                <span className="jp-AutopilotCleanup-name">{f.item.name}</span>
                <span className="jp-AutopilotCleanup-description jp-Autopilot-errorText">
                  {f.error}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/**
 * List what clean-up would delete, ask, delete it and show the result.
 * Resolves true when clean-up ran.
 */
export async function cleanupWithDialog(options: {
  model: AutopilotModel;
  trans: TranslationBundle;
  experiment: string;
}): Promise<boolean> {
  const { trans } = options;
  const planBody = new CleanupPlanBody(options);
  const answer = await showDialog({
    title: trans.__('Clean up %1', options.experiment),
    body: planBody,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Delete') })
    ],
    defaultButton: 0
  });
  if (!answer.button.accept || !answer.value) {
    return false;
  }
  await showDialog({
    title: trans.__('Clean up %1', options.experiment),
    body: new CleanupRunBody({
      ...options,
      deleteExperiment: answer.value.deleteExperiment
    }),
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
  return true;
}
