/**
 * The "Monitoring" section of an endpoint view (SageMaker Model Monitor-like):
 * data capture settings and schedule, what was captured, the baseline, drift
 * reports (run one, list them, read one with its charts) and the newest captured
 * requests.
 */
import { Button, refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type {
  Endpoint,
  MonitoringReport,
  MonitoringStatus
} from '../api/types';
import { ErrorMessage, Loading, Section, useTrans } from '../common/components';
import { AutopilotModel } from '../model';
import { CaptureSummary } from './CaptureSummary';
import { sortReports } from './drift';
import { MonitoringState } from './MonitoringState';
import { RecentCaptures } from './RecentCaptures';
import { ReportDetail, ReportsList } from './Reports';
import { RunReport } from './RunReport';
import { SettingsForm } from './SettingsForm';

/** The section, over the endpoint's polled monitoring state. */
export function MonitoringSection(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
  state: MonitoringState;
}): JSX.Element | null {
  const trans = useTrans();
  const { endpoint, model, state } = props;
  const status = state.status;
  if (state.supported === false) {
    return null;
  }
  const idPrefix = `jp-autopilot-monitoring-${endpoint.name}`;
  return (
    <Section
      title={trans.__('Monitoring')}
      id={idPrefix}
      className="jp-AutopilotMonitoring"
      actions={
        <Button
          minimal
          small
          aria-label={trans.__('Refresh monitoring')}
          title={trans.__('Refresh monitoring')}
          onClick={() => void state.refresh()}
        >
          <refreshIcon.react tag="span" />
        </Button>
      }
    >
      <p className="jp-Autopilot-muted">
        {trans.__(
          'Capture a sample of the requests this endpoint receives and compare them with the training data, like SageMaker Model Monitor: drift per feature, drift of the predictions and constraint violations.'
        )}
      </p>
      <ErrorMessage
        error={state.error}
        title={trans.__('Cannot load the monitoring status.')}
        onRetry={() => void state.refresh()}
      />
      {status ? (
        <MonitoringBody
          endpoint={endpoint}
          model={model}
          state={state}
          status={status}
          idPrefix={idPrefix}
        />
      ) : (
        !state.error && (
          <div className="jp-AutopilotMonitoring-placeholder">
            <Loading label={trans.__('Loading monitoring…')} />
          </div>
        )
      )}
    </Section>
  );
}

function MonitoringBody(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
  state: MonitoringState;
  status: MonitoringStatus;
  idPrefix: string;
}): JSX.Element {
  const { endpoint, model, state, status, idPrefix } = props;
  const reports = React.useMemo(
    () => sortReports(status.reports ?? []),
    [status.reports]
  );
  const [selectedId, setSelectedId] = React.useState<string | null>(null);
  const [cache, setCache] = React.useState<Record<string, MonitoringReport>>(
    {}
  );
  // A report just run is shown before the next status lists it.
  const selected =
    reports.find(r => r.id === selectedId) ??
    (selectedId ? cache[selectedId] : undefined) ??
    reports[0] ??
    null;
  const remember = (report: MonitoringReport) =>
    setCache(c => ({ ...c, [report.id]: report }));

  return (
    <>
      <div className="jp-AutopilotMonitoring-top">
        <SettingsForm
          endpoint={endpoint}
          model={model}
          state={state}
          status={status}
          idPrefix={idPrefix}
        />
        <CaptureSummary status={status} idPrefix={idPrefix} />
      </div>
      <RunReport
        endpoint={endpoint}
        model={model}
        status={status}
        idPrefix={idPrefix}
        onReport={report => {
          remember(report);
          setSelectedId(report.id);
          void state.refresh();
        }}
      />
      <ReportsList
        reports={reports}
        selected={selected?.id ?? null}
        onSelect={setSelectedId}
        idPrefix={idPrefix}
      />
      {selected && (
        <ReportDetail
          key={selected.id}
          endpoint={endpoint.name}
          backend={endpoint.backend}
          model={model}
          summary={selected}
          cached={cache[selected.id] ?? null}
          onLoaded={remember}
          idPrefix={idPrefix}
        />
      )}
      <RecentCaptures state={state} status={status} idPrefix={idPrefix} />
    </>
  );
}
