/**
 * What was captured so far, and the baseline drift is measured against.
 */
import * as React from 'react';

import type { MonitoringStatus } from '../api/types';
import { KeyValues, Notice, Spinner, useTrans } from '../common/components';
import {
  formatCount,
  formatDateTime,
  formatPercent,
  formatRelativeTime
} from '../format';
import { SubHeading } from './parts';
import { scheduleText } from './settings';

/** How many requests were captured, and the baseline (or why there is none yet). */
export function CaptureSummary(props: {
  status: MonitoringStatus;
  idPrefix: string;
}): JSX.Element {
  const trans = useTrans();
  const { status } = props;
  const capture = status.data_capture;
  const headingId = `${props.idPrefix}-captured`;
  return (
    <div
      className="jp-AutopilotMonitoring-box"
      role="group"
      aria-labelledby={headingId}
    >
      <SubHeading id={headingId}>{trans.__('Captured data')}</SubHeading>
      <KeyValues
        label={trans.__('Captured data and baseline')}
        items={[
          [
            trans.__('Data capture'),
            capture.enabled
              ? trans.__(
                  'On, %1 of requests',
                  formatPercent(capture.sampling_percentage / 100)
                )
              : trans.__('Off')
          ],
          [
            trans.__('Drift reports'),
            scheduleText(status.schedule_minutes, trans)
          ],
          [
            trans.__('Captured'),
            trans.__(
              '%1 requests · %2 rows',
              formatCount(status.captured_records),
              formatCount(status.captured_rows)
            )
          ],
          [
            trans.__('Last capture'),
            status.last_capture_at ? (
              <span title={formatDateTime(status.last_capture_at)}>
                {formatRelativeTime(status.last_capture_at, Date.now(), trans)}
              </span>
            ) : (
              trans.__('nothing captured yet')
            )
          ],
          [
            trans.__('Baseline'),
            status.baseline ? (
              <span>
                {trans.__(
                  '%1 training rows of %2, %3 features',
                  formatCount(status.baseline.rows),
                  status.baseline.source,
                  status.baseline.features
                )}{' '}
                <span
                  className="jp-Autopilot-muted"
                  title={formatDateTime(status.baseline.created_at)}
                >
                  (
                  {trans.__(
                    'profiled %1',
                    formatRelativeTime(
                      status.baseline.created_at,
                      Date.now(),
                      trans
                    )
                  )}
                  )
                </span>
              </span>
            ) : status.baseline_error ? (
              <span className="jp-AutopilotMonitoring-baselineError">
                {status.baseline_error}
              </span>
            ) : capture.enabled ? (
              <span>
                <Spinner /> {trans.__('Profiling the training data…')}
              </span>
            ) : (
              trans.__('profiled from the training data at the first report')
            )
          ]
        ]}
      />
      {!capture.enabled && (
        <Notice kind="info">
          {trans.__(
            'Data capture is off: turn it on and save to record requests for drift reports.'
          )}
        </Notice>
      )}
    </div>
  );
}
