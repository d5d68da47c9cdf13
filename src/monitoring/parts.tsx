/**
 * Small pieces the monitoring section's parts share.
 */
import * as React from 'react';

import type { DriftStatus } from '../api/types';
import { useTrans } from '../common/components';
import { driftStatusClass, driftStatusHelp, driftStatusLabel } from './drift';

/** A heading inside the section, labelling its group. */
export function SubHeading(props: { id: string; children: React.ReactNode }) {
  return (
    <h4 id={props.id} className="jp-AutopilotMonitoring-heading">
      {props.children}
    </h4>
  );
}

/** A drift status chip. */
export function DriftStatusChip(props: {
  status: DriftStatus | string;
}): JSX.Element {
  const trans = useTrans();
  return (
    <span
      className={`jp-Autopilot-badge jp-AutopilotMonitoring-status ${driftStatusClass(
        props.status
      )}`}
      data-status={props.status}
      title={driftStatusHelp(props.status, trans)}
    >
      {driftStatusLabel(props.status, trans)}
    </span>
  );
}

/**
 * Monitoring of one endpoint. Renders nothing on a backend without monitoring.
 */
