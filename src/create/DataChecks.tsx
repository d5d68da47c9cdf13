import { Button, checkIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { AutopilotAPIError } from '../api/request';
import type { DataWarning } from '../api/types';
import { ErrorMessage, Spinner, useTrans } from '../common/components';

/** Where the wizard's server check stands. */
export type CheckStatus =
  /** Nothing to check yet (no target). */
  | 'idle'
  | 'checking'
  | 'done'
  /** The check could not run, or creating would fail (see `error`). */
  | 'failed'
  /** The backend does not check before creating (HTTP 501). */
  | 'unsupported';

/**
 * What the server says about the data before the run: warnings about columns
 * with a one-click "Exclude" each, other notes, and whether the name is free.
 */
export function DataChecks(props: {
  status: CheckStatus;
  /** Warnings about columns the user can exclude. */
  columnWarnings: readonly DataWarning[];
  /** Other notes (the data as a whole, the target, excluded columns). */
  notes: readonly DataWarning[];
  error?: unknown;
  onExclude: (column: string) => void;
  /** The checked name and whether it is free (review step), or null. */
  name?: { name: string; available: boolean } | null;
  /** Backend name, for the "checks at start" note. */
  backend: string;
  disabled?: boolean;
}): JSX.Element | null {
  const trans = useTrans();
  const { status, columnWarnings, notes } = props;
  if (status === 'idle') {
    return null;
  }
  const problems = columnWarnings.length;
  // A 4xx is what create would answer; anything else means the check did not run.
  const refused =
    props.error instanceof AutopilotAPIError && props.error.status < 500;
  let summary: React.ReactNode;
  switch (status) {
    case 'checking':
      summary = (
        <>
          <Spinner />
          {trans.__('Checking the data…')}
        </>
      );
      break;
    case 'unsupported':
      summary = trans.__(
        'The %1 backend checks the data when the experiment starts; its warnings then show on the experiment page.',
        props.backend
      );
      break;
    case 'failed':
      summary = refused
        ? trans.__('The check found a problem.')
        : trans.__(
            'The data could not be checked now; creating checks it again.'
          );
      break;
    default:
      summary = problems
        ? trans._n(
            'Check %1 column before you start:',
            'Check %1 columns before you start:',
            problems
          )
        : trans.__('No problems found in the data.');
  }
  return (
    <section
      className="jp-AutopilotCreate-checks"
      role="region"
      aria-label={trans.__('Data checks')}
      aria-busy={status === 'checking'}
    >
      <div
        className={`jp-AutopilotCreate-checksSummary jp-mod-${status}`}
        role="status"
      >
        {status === 'done' && problems === 0 && (
          <checkIcon.react tag="span" className="jp-Autopilot-buttonIcon" />
        )}
        <span>{summary}</span>
      </div>
      {status === 'failed' && (
        <ErrorMessage
          error={props.error}
          title={
            refused
              ? trans.__('Creating this experiment would fail:')
              : undefined
          }
        />
      )}
      {props.name && (
        <p
          className={`jp-AutopilotCreate-nameCheck${props.name.available ? '' : ' jp-mod-taken'}`}
        >
          {props.name.available
            ? trans.__('The name %1 is available.', props.name.name)
            : trans.__(
                'The name %1 is taken: choose another one in Settings.',
                props.name.name
              )}
        </p>
      )}
      {columnWarnings.length > 0 && (
        <ul
          className="jp-Autopilot-warningList"
          aria-label={trans.__('Column warnings')}
        >
          {columnWarnings.map((w, i) => (
            <li
              key={`${w.code}:${w.column}:${i}`}
              className={`jp-mod-${w.severity}`}
              data-column={w.column}
            >
              <div className="jp-Autopilot-warningText">
                <strong>{w.column}</strong>: {w.message}
                {w.suggestion && (
                  <div className="jp-Autopilot-muted">{w.suggestion}</div>
                )}
              </div>
              <Button
                small
                disabled={props.disabled}
                onClick={() => props.onExclude(w.column as string)}
              >
                {trans.__('Exclude %1', w.column)}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {notes.length > 0 && (
        <ul
          className="jp-Autopilot-infoList"
          aria-label={trans.__('Notes about the data')}
        >
          {notes.map((w, i) => (
            <li key={`${w.code}:${w.column}:${i}`}>
              {w.message}{' '}
              {w.suggestion && (
                <span className="jp-Autopilot-muted">{w.suggestion}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
