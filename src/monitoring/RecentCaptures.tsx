/**
 * The monitoring section's table of the newest captured requests and answers.
 */
import * as React from 'react';

import type { MonitoringStatus } from '../api/types';
import { ErrorMessage, Loading, useTrans } from '../common/components';
import { formatCount, formatDateTime, formatPercent } from '../format';
import { RECENT_CAPTURES } from './drift';
import { MonitoringState } from './MonitoringState';
import { SubHeading } from './parts';
import { captureRows } from './settings';

/** The newest captured requests and what the model answered. */
export function RecentCaptures(props: {
  state: MonitoringState;
  status: MonitoringStatus;
  idPrefix: string;
}): JSX.Element {
  const trans = useTrans();
  const { state, status } = props;
  const captures = state.captures;
  const { columns, rows } = React.useMemo(
    () => captureRows(captures?.records ?? [], RECENT_CAPTURES),
    [captures]
  );
  const headingId = `${props.idPrefix}-captures`;
  return (
    <div role="group" aria-labelledby={headingId}>
      <SubHeading id={headingId}>
        {trans.__('Recent captured requests')}
      </SubHeading>
      <ErrorMessage
        error={state.capturesError}
        title={trans.__('Cannot load the captured requests.')}
        onRetry={() => void state.refresh()}
      />
      {captures === null ? (
        !state.capturesError && <Loading />
      ) : rows.length === 0 ? (
        <p className="jp-Autopilot-muted">
          {status.data_capture.enabled
            ? trans.__(
                'Nothing captured yet: send the endpoint some requests (Predict above, the REST API or the Python client).'
              )
            : trans.__('Nothing captured: data capture is off.')}
        </p>
      ) : (
        <>
          <p className="jp-Autopilot-muted">
            {trans.__(
              'The newest %1 rows of %2 captured requests, newest first.',
              rows.length,
              formatCount(captures.total)
            )}
          </p>
          <div className="jp-Autopilot-tableScroll jp-AutopilotMonitoring-captures">
            <table
              className="jp-Autopilot-table"
              aria-label={trans.__('Recent captured requests')}
            >
              <thead>
                <tr>
                  <th scope="col">{trans.__('Captured')}</th>
                  {columns.map(c => (
                    <th scope="col" key={c}>
                      {c}
                    </th>
                  ))}
                  <th scope="col" className="jp-mod-target">
                    {trans.__('Predicted label')}
                  </th>
                  <th scope="col" className="jp-mod-numeric jp-mod-target">
                    {trans.__('Probability')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map(row => (
                  <tr key={row.key}>
                    <td title={formatDateTime(row.capturedAt)}>
                      {new Date(row.capturedAt).toLocaleTimeString()}
                    </td>
                    {columns.map(c => (
                      <td key={c}>{row.values[c] ?? '–'}</td>
                    ))}
                    <td className="jp-mod-target">{row.predictedLabel}</td>
                    <td className="jp-mod-numeric jp-mod-target">
                      {row.probability === null
                        ? '–'
                        : formatPercent(row.probability, 1)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
