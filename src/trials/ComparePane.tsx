/**
 * The chosen trials side by side.
 */
import { Button, closeIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Trial } from '../api/types';
import { useTrans } from '../common/components';
import { compareTrials, IComparisonRow } from './comparison';
import { fieldLabel } from './labels';
import { trialKey } from './trial';

/** The chosen trials side by side; differing rows flagged, best metric values marked. */
export function ComparePane(props: {
  trials: Trial[];
  headingRef: React.RefObject<HTMLHeadingElement>;
  onRemove: (key: string) => void;
  onClose: () => void;
}): JSX.Element {
  const trans = useTrans();
  const [onlyDifferences, setOnlyDifferences] = React.useState(false);
  const rows = React.useMemo(() => compareTrials(props.trials), [props.trials]);
  const shown = onlyDifferences ? rows.filter(r => r.differs) : rows;
  const sections: Array<[IComparisonRow['section'], string]> = [
    ['field', trans.__('Trial')],
    ['metric', trans.__('Validation metrics')],
    ['hyperparameter', trans.__('Hyperparameters')]
  ];
  const differing = rows.filter(r => r.differs).length;
  return (
    <section
      className="jp-Autopilot-section jp-AutopilotTrials-compare"
      aria-labelledby="jp-autopilot-trials-compare-title"
    >
      <header className="jp-Autopilot-sectionHeader">
        <h3
          id="jp-autopilot-trials-compare-title"
          ref={props.headingRef}
          tabIndex={-1}
        >
          {trans.__('Compare trials')}
        </h3>
        <div className="jp-Autopilot-sectionActions">
          <label className="jp-Autopilot-checkbox">
            <input
              type="checkbox"
              checked={onlyDifferences}
              onChange={e => setOnlyDifferences(e.target.checked)}
            />
            {trans.__('Only differences')}
          </label>
          <Button
            small
            minimal
            aria-label={trans.__('Close the comparison')}
            title={trans.__('Close')}
            onClick={props.onClose}
          >
            <closeIcon.react tag="span" />
          </Button>
        </div>
      </header>
      {props.trials.length < 2 ? (
        <p className="jp-Autopilot-muted jp-Autopilot-placeholder">
          {trans.__('Tick two or more trials in the table to compare them.')}
        </p>
      ) : (
        <>
          <p className="jp-Autopilot-muted">
            {trans._n(
              '%1 row differs (marked ≠); ★ marks the best value of each metric.',
              '%1 rows differ (marked ≠); ★ marks the best value of each metric.',
              differing
            )}
          </p>
          <div className="jp-Autopilot-tableScroll">
            <table
              className="jp-Autopilot-table jp-AutopilotTrials-compareTable"
              aria-label={trans.__('Trial comparison')}
            >
              <thead>
                <tr>
                  <th scope="col">
                    <span className="jp-Autopilot-srOnly">
                      {trans.__('Field')}
                    </span>
                  </th>
                  {props.trials.map(t => (
                    <th scope="col" key={trialKey(t)}>
                      <span className="jp-AutopilotTrials-compareName">
                        {t.name}
                      </span>
                      <span className="jp-Autopilot-muted">
                        {' '}
                        {t.experiment}
                      </span>
                      <Button
                        small
                        minimal
                        aria-label={trans.__(
                          'Remove %1 of %2 from the comparison',
                          t.name,
                          t.experiment
                        )}
                        title={trans.__('Remove from the comparison')}
                        onClick={() => props.onRemove(trialKey(t))}
                      >
                        <closeIcon.react tag="span" />
                      </Button>
                    </th>
                  ))}
                </tr>
              </thead>
              {sections.map(([section, title]) => {
                const group = shown.filter(r => r.section === section);
                if (!group.length) {
                  return null;
                }
                return (
                  <tbody key={section}>
                    <tr className="jp-AutopilotTrials-group">
                      <th scope="colgroup" colSpan={props.trials.length + 1}>
                        {title}
                      </th>
                    </tr>
                    {group.map(row => (
                      <tr
                        key={row.id}
                        data-row={row.id}
                        className={row.differs ? 'jp-mod-differs' : undefined}
                      >
                        <th scope="row">
                          {row.section === 'field'
                            ? fieldLabel(row.name, trans)
                            : row.name}
                          {row.differs && (
                            <span
                              className="jp-AutopilotTrials-differs"
                              title={trans.__('The values differ')}
                            >
                              {' ≠'}
                              <span className="jp-Autopilot-srOnly">
                                {trans.__('(values differ)')}
                              </span>
                            </span>
                          )}
                          {row.goal && row.section === 'metric' && (
                            <span className="jp-Autopilot-muted">
                              {row.goal === 'Maximize'
                                ? trans.__(' (higher is better)')
                                : trans.__(' (lower is better)')}
                            </span>
                          )}
                        </th>
                        {row.texts.map((text, i) => (
                          <td
                            key={i}
                            className={[
                              row.section !== 'hyperparameter' &&
                              row.section !== 'field'
                                ? 'jp-mod-numeric'
                                : '',
                              row.best[i] ? 'jp-mod-bestValue' : ''
                            ].join(' ')}
                          >
                            {text}
                            {row.best[i] && (
                              <span
                                className="jp-AutopilotTrials-bestValue"
                                title={trans.__('Best value')}
                              >
                                {' ★'}
                                <span className="jp-Autopilot-srOnly">
                                  {trans.__('(best)')}
                                </span>
                              </span>
                            )}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                );
              })}
            </table>
          </div>
        </>
      )}
    </section>
  );
}
