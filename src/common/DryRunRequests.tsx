import { Clipboard } from '@jupyterlab/apputils';
import { Button, copyIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  dryRunRequests,
  formatParams,
  IDryRunRequest,
  requestTarget
} from '../logic/dryRun';
import { ButtonIcon, Notice, useTrans } from './components';

/**
 * The AWS requests a dry run validated but did not send, in order: service,
 * operation and target on one line, the parameters as indented JSON below
 * (the last request, the one that matters most, expanded).
 */
export function DryRunRequests(props: {
  details: Record<string, string> | undefined;
  /** What would have happened, e.g. "Creating this experiment". */
  what: string;
}): JSX.Element {
  const trans = useTrans();
  const requests = dryRunRequests(props.details);
  return (
    <div className="jp-Autopilot-dryRun">
      <Notice kind="info">
        {trans.__(
          '%1 was checked against the AWS API but not sent: nothing was created and nothing is billed. These are the requests it would send, in order. Start Jupyter without --AutopilotApp.sagemaker_dry_run to send them.',
          props.what
        )}
      </Notice>
      {requests === null ? (
        <Notice kind="error">
          {trans.__('The server sent requests this page cannot read.')}
        </Notice>
      ) : requests.length === 0 ? (
        <p className="jp-Autopilot-muted">
          {trans.__('No request would be sent.')}
        </p>
      ) : (
        <ol aria-label={trans.__('Requests not sent')}>
          {requests.map((request, i) => (
            <DryRunRequest
              key={i}
              request={request}
              open={i === requests.length - 1}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

function DryRunRequest(props: {
  request: IDryRunRequest;
  open: boolean;
}): JSX.Element {
  const trans = useTrans();
  const { request } = props;
  const target = requestTarget(request);
  const json = formatParams(request.params);
  return (
    <li data-operation={request.operation}>
      <details open={props.open}>
        <summary>
          <span className="jp-Autopilot-dryRunService">{request.service}</span>{' '}
          <span className="jp-Autopilot-dryRunOperation">
            {request.operation}
          </span>
          {target && <span className="jp-Autopilot-muted"> · {target}</span>}
        </summary>
        <pre
          className="jp-Autopilot-dryRunParams"
          aria-label={trans.__('Parameters of %1', request.operation)}
          tabIndex={0}
        >
          {json}
        </pre>
        <Button small minimal onClick={() => Clipboard.copyToSystem(json)}>
          <ButtonIcon icon={copyIcon} />
          {trans.__('Copy parameters')}
        </Button>
      </details>
    </li>
  );
}
