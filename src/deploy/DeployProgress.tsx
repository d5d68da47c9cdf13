/**
 * After a deploy request: follow the endpoint until it is in service (or show what
 * a dry run would have sent to AWS).
 */
import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { Endpoint } from '../api/types';
import {
  ErrorMessage,
  Notice,
  ProgressBar,
  StatusBadge,
  TransContext,
  useNow,
  useTrans
} from '../common/components';
import { DryRunRequests } from '../common/DryRunRequests';
import { elapsedSeconds, formatDuration } from '../format';
import { isEndpointBusy } from '../logic/status';
import { AutopilotModel } from '../model';

class DeployProgressBody extends ReactWidget {
  constructor(
    private props: {
      trans: TranslationBundle;
      model: AutopilotModel;
      endpoint: Endpoint;
    }
  ) {
    super();
    this.addClass('jp-AutopilotDialog');
  }

  protected render(): JSX.Element {
    return (
      <TransContext.Provider value={this.props.trans}>
        <DeployProgress
          model={this.props.model}
          initial={this.props.endpoint}
        />
      </TransContext.Provider>
    );
  }
}

/** Polls the endpoint about every second until it is in service or failed. */
function DeployProgress(props: {
  model: AutopilotModel;
  initial: Endpoint;
}): JSX.Element {
  const trans = useTrans();
  const { model } = props;
  const [endpoint, setEndpoint] = React.useState(props.initial);
  const [error, setError] = React.useState<unknown>(null);
  const busy = isEndpointBusy(endpoint.status);
  const now = useNow(busy);
  React.useEffect(() => {
    if (!busy) {
      model.endpointsChanged.emit(endpoint.name);
      return;
    }
    const timer = window.setTimeout(
      async () => {
        try {
          setEndpoint(await model.client.getEndpoint(endpoint.name));
          setError(null);
        } catch (e) {
          setError(e);
          // Try again a little later; the timer re-arms through the state change.
          setEndpoint(current => ({ ...current }));
        }
      },
      error ? 3000 : 1000
    );
    return () => window.clearTimeout(timer);
  }, [model, endpoint, busy, error]);
  const elapsed = elapsedSeconds(
    endpoint.created_at,
    busy ? null : endpoint.updated_at,
    now
  );
  return (
    <div className="jp-AutopilotDialog-body" aria-live="polite">
      <p>
        {trans.__('Endpoint')} <strong>{endpoint.name}</strong>{' '}
        <StatusBadge status={endpoint.status} />
      </p>
      <p className="jp-Autopilot-muted">
        {endpoint.variants?.length
          ? trans.__(
              'Production variants: %1',
              endpoint.variants
                .map(v => `${v.name} (${v.candidate})`)
                .join(', ')
            )
          : trans.__(
              'Candidate %1 (%2)',
              endpoint.candidate ?? '–',
              endpoint.algorithm ?? '–'
            )}
      </p>
      {busy && (
        <>
          <ProgressBar value={null} label={trans.__('Deploying')} />
          <p>
            {trans.__(
              'Starting the model server… %1',
              elapsed !== null ? formatDuration(elapsed) : ''
            )}
          </p>
        </>
      )}
      {endpoint.status === 'InService' && (
        <Notice kind="success">
          {trans.__(
            'In service. Open the endpoint to send it rows and read predictions.'
          )}
        </Notice>
      )}
      {endpoint.status === 'Failed' && (
        <Notice kind="error" role="alert">
          {endpoint.failure_reason ?? trans.__('The deployment failed.')}
        </Notice>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

class DryRunBody extends ReactWidget {
  constructor(
    private props: {
      trans: TranslationBundle;
      details: Record<string, string> | undefined;
      what: string;
    }
  ) {
    super();
    this.addClass('jp-AutopilotDialog');
  }

  protected render(): JSX.Element {
    return (
      <TransContext.Provider value={this.props.trans}>
        <div className="jp-AutopilotDialog-body">
          <DryRunRequests details={this.props.details} what={this.props.what} />
        </div>
      </TransContext.Provider>
    );
  }
}

/** A deployment in dry-run mode: what would have been sent to AWS. */
export async function showDryRun(
  trans: TranslationBundle,
  endpoint: Endpoint
): Promise<void> {
  await showDialog({
    title: trans.__('Dry run: deploying %1', endpoint.name),
    body: new DryRunBody({
      trans,
      details: endpoint.backend_details,
      what: trans.__('Deploying this model')
    }),
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}

/** Show the deployment until it is in service; offer to open the endpoint. */
export async function followDeployment(options: {
  model: AutopilotModel;
  trans: TranslationBundle;
  endpoint: Endpoint;
  onOpenEndpoint: (name: string) => void;
}): Promise<void> {
  const { trans } = options;
  const result = await showDialog({
    title: trans.__('Deploying %1', options.endpoint.name),
    body: new DeployProgressBody(options),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Close') }),
      Dialog.okButton({ label: trans.__('Open endpoint') })
    ]
  });
  if (result.button.accept) {
    options.onOpenEndpoint(options.endpoint.name);
  }
}
