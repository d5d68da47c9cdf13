/**
 * The monitoring section's list of drift reports and the one being read.
 */
import * as React from 'react';

import type { MonitoringReport, MonitoringReportSummary } from '../api/types';
import {
  ErrorMessage,
  Loading,
  RowSelectButton,
  useTrans
} from '../common/components';
import { useLatest } from '../common/hooks';
import { formatCount, formatDateTime } from '../format';
import { AutopilotModel } from '../model';
import { formatWindow, reportSummaryText, triggerLabel } from './drift';
import { DriftStatusChip, SubHeading } from './parts';
import { ReportBody } from './ReportBody';

/** The drift reports, newest first; one can be opened. */
export function ReportsList(props: {
  reports: MonitoringReportSummary[];
  selected: string | null;
  onSelect: (id: string) => void;
  idPrefix: string;
}): JSX.Element {
  const trans = useTrans();
  const headingId = `${props.idPrefix}-reports`;
  return (
    <div role="group" aria-labelledby={headingId}>
      <SubHeading id={headingId}>{trans.__('Reports')}</SubHeading>
      {props.reports.length === 0 ? (
        <p className="jp-Autopilot-muted">
          {trans.__(
            'No drift report yet. Run one above, or set a schedule to run them regularly.'
          )}
        </p>
      ) : (
        <div className="jp-Autopilot-tableScroll jp-AutopilotMonitoring-reports">
          <table
            className="jp-Autopilot-table"
            aria-label={trans.__('Drift reports')}
          >
            <thead>
              <tr>
                <th scope="col">{trans.__('Time')}</th>
                <th scope="col">{trans.__('Trigger')}</th>
                <th scope="col">{trans.__('Status')}</th>
                <th scope="col" className="jp-mod-numeric">
                  {trans.__('Drifted features')}
                </th>
                <th scope="col" className="jp-mod-numeric">
                  {trans.__('Violations')}
                </th>
                <th scope="col" className="jp-mod-numeric">
                  {trans.__('Rows')}
                </th>
                <th scope="col">{trans.__('Window')}</th>
              </tr>
            </thead>
            <tbody>
              {props.reports.map(r => {
                const selected = r.id === props.selected;
                const hours =
                  (Date.parse(r.window_end) - Date.parse(r.window_start)) /
                  3600_000;
                return (
                  <tr
                    key={r.id}
                    className={selected ? 'jp-mod-selected' : undefined}
                    aria-selected={selected}
                    data-report={r.id}
                    onClick={() => props.onSelect(r.id)}
                  >
                    <th scope="row">
                      <RowSelectButton
                        selected={selected}
                        title={formatDateTime(r.created_at)}
                        onSelect={() => props.onSelect(r.id)}
                      >
                        {formatDateTime(r.created_at)}
                      </RowSelectButton>
                    </th>
                    <td>{triggerLabel(r.trigger, trans)}</td>
                    <td>
                      <DriftStatusChip status={r.status} />
                    </td>
                    <td className="jp-mod-numeric">{r.drifted_features}</td>
                    <td className="jp-mod-numeric">{r.violations}</td>
                    <td className="jp-mod-numeric">{formatCount(r.rows)}</td>
                    <td>{formatWindow(hours, trans)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The opened drift report, loaded by id. */
export function ReportDetail(props: {
  endpoint: string;
  /** The endpoint's backend: SageMaker endpoints have no prediction drift. */
  backend: string;
  model: AutopilotModel;
  summary: MonitoringReportSummary;
  cached: MonitoringReport | null;
  onLoaded: (report: MonitoringReport) => void;
  idPrefix: string;
}): JSX.Element {
  const trans = useTrans();
  const { summary } = props;
  const [error, setError] = React.useState<unknown>(null);
  const [attempt, setAttempt] = React.useState(0);
  const report = props.cached;
  const { model, endpoint } = props;
  const loaded = report !== null;
  const onLoaded = useLatest(props.onLoaded);

  React.useEffect(() => {
    if (loaded) {
      return;
    }
    let cancelled = false;
    setError(null);
    model.client.getMonitoringReport(endpoint, summary.id).then(
      r => {
        if (!cancelled) {
          onLoaded.current(r);
        }
      },
      e => {
        if (!cancelled) {
          setError(e);
        }
      }
    );
    return () => {
      cancelled = true;
    };
  }, [model, endpoint, summary.id, attempt, loaded, onLoaded]);

  const headingId = `${props.idPrefix}-report`;
  return (
    <article
      className="jp-AutopilotMonitoring-report"
      aria-labelledby={headingId}
      data-report={summary.id}
    >
      <header className="jp-AutopilotMonitoring-reportHeader">
        <SubHeading id={headingId}>
          {trans.__('Report of %1', formatDateTime(summary.created_at))}
        </SubHeading>
        <DriftStatusChip status={summary.status} />
      </header>
      <p className="jp-AutopilotMonitoring-summary">
        {reportSummaryText(report ?? summary, trans)}
      </p>
      <p className="jp-Autopilot-muted">
        {trans.__(
          'Requests captured between %1 and %2 (%3) compared with %4 training rows.',
          formatDateTime(summary.window_start),
          formatDateTime(summary.window_end),
          formatWindow(
            (Date.parse(summary.window_end) -
              Date.parse(summary.window_start)) /
              3600_000,
            trans
          ),
          report ? formatCount(report.baseline_rows) : '…'
        )}
      </p>
      <ErrorMessage
        error={error}
        title={trans.__('Cannot load the report.')}
        onRetry={() => setAttempt(a => a + 1)}
      />
      {report ? (
        <ReportBody
          report={report}
          backend={props.backend}
          idPrefix={props.idPrefix}
        />
      ) : (
        !error && (
          <div className="jp-AutopilotMonitoring-placeholder jp-mod-report">
            <Loading label={trans.__('Loading the report…')} />
          </div>
        )
      )}
    </article>
  );
}
