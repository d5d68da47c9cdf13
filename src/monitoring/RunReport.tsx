/**
 * Run a drift report now, over a chosen window of captured requests.
 */
import { Button, runIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type {
  Endpoint,
  MonitoringReport,
  MonitoringStatus
} from '../api/types';
import {
  ButtonIcon,
  describedBy,
  ErrorMessage,
  Field,
  ProgressBar,
  Spinner,
  useTrans
} from '../common/components';
import { AutopilotModel } from '../model';
import { SubHeading } from './parts';
import { parseWindowHours } from './settings';

/** Run a drift report over a window of captured requests. */
export function RunReport(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
  status: MonitoringStatus;
  idPrefix: string;
  onReport: (report: MonitoringReport) => void;
}): JSX.Element {
  const trans = useTrans();
  const [windowText, setWindowText] = React.useState('24');
  const [running, setRunning] = React.useState(false);
  const [error, setError] = React.useState<unknown>(null);
  const { hours, error: windowError } = parseWindowHours(windowText, trans);
  const windowId = `${props.idPrefix}-window`;
  const headingId = `${props.idPrefix}-run`;
  const run = async () => {
    if (hours === null) {
      return;
    }
    setRunning(true);
    setError(null);
    try {
      const report = await props.model.client.runMonitoringReport(
        props.endpoint.name,
        { window_hours: hours }
      );
      props.onReport(report);
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };
  const help = trans.__(
    'Compare the requests captured this many hours back with the training data.'
  );
  return (
    <form
      className="jp-AutopilotMonitoring-run"
      aria-labelledby={headingId}
      onSubmit={e => {
        e.preventDefault();
        void run();
      }}
    >
      <SubHeading id={headingId}>{trans.__('Drift report')}</SubHeading>
      <div className="jp-AutopilotMonitoring-runRow">
        <Field
          id={windowId}
          label={trans.__('Window (hours)')}
          help={help}
          error={windowError}
        >
          <input
            id={windowId}
            className={`jp-mod-styled jp-AutopilotMonitoring-number${
              windowError ? ' jp-mod-error' : ''
            }`}
            type="number"
            min={0}
            step="any"
            value={windowText}
            aria-invalid={windowError ? true : undefined}
            aria-describedby={describedBy(windowId, help, windowError)}
            onChange={e => setWindowText(e.target.value)}
          />
        </Field>
        <Button
          type="submit"
          className="jp-Autopilot-primary"
          disabled={running || hours === null}
        >
          {running ? <Spinner /> : <ButtonIcon icon={runIcon} />}
          {trans.__('Run drift report')}
        </Button>
      </div>
      <div className="jp-AutopilotMonitoring-progress" aria-live="polite">
        {running && (
          <>
            <ProgressBar value={null} label={trans.__('Drift report')} />
            <span>
              {props.status.baseline
                ? trans.__('Comparing the captured data with the baseline…')
                : trans.__(
                    'Profiling the training data, then comparing the captured data with it…'
                  )}
            </span>
          </>
        )}
      </div>
      <ErrorMessage
        error={error}
        title={trans.__('The drift report did not run.')}
        onDismiss={() => setError(null)}
      />
    </form>
  );
}
