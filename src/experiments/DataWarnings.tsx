/**
 * The leakage and similar warnings of an experiment's data.
 */
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { DataWarning } from '../api/types';
import { useTrans } from '../common/components';

/** The leakage and similar warnings, each with an "exclude this column" action. */
export function DataWarnings(props: {
  warnings: DataWarning[];
  busy: boolean;
  onExclude: (column: string) => void;
}): JSX.Element {
  const trans = useTrans();
  return (
    <section
      className="jp-Autopilot-warnings"
      aria-label={trans.__('Data warnings')}
      role="region"
    >
      <h3>{trans.__('Check your data')}</h3>
      <ul>
        {props.warnings.map((w, i) => (
          <li key={i} className={`jp-mod-${w.severity}`}>
            <div className="jp-Autopilot-warningText">
              <strong>{w.column}</strong>: {w.message}
              {w.suggestion && (
                <div className="jp-Autopilot-muted">{w.suggestion}</div>
              )}
            </div>
            {w.column && (
              <Button
                small
                onClick={() => props.onExclude(w.column as string)}
                disabled={props.busy}
              >
                {trans.__('Exclude %1 and restart', w.column)}
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
