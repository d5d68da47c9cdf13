/**
 * The wizard's list of steps: the current one marked, those before it done,
 * a step with errors flagged; a step can be opened once the steps before it
 * are valid.
 */
import * as React from 'react';

import { useTrans } from '../common/components';
import { Step, STEPS } from './form';
import { useStepTitles } from './labels';

/** The steps as buttons. */
export function StepNav(props: {
  step: Step;
  /** Every step is disabled (while creating). */
  disabled: boolean;
  reachable: (step: Step) => boolean;
  hasErrors: (step: Step) => boolean;
  onGoTo: (step: Step) => void;
}): JSX.Element {
  const trans = useTrans();
  const titles = useStepTitles();
  const stepIndex = STEPS.indexOf(props.step);
  return (
    <nav aria-label={trans.__('Steps')}>
      <ol className="jp-Autopilot-steps">
        {STEPS.map((s, i) => (
          <li
            key={s}
            className={
              s === props.step
                ? 'jp-mod-current'
                : i < stepIndex
                  ? 'jp-mod-done'
                  : ''
            }
          >
            <button
              aria-current={s === props.step ? 'step' : undefined}
              disabled={!props.reachable(s) || props.disabled}
              onClick={() => props.onGoTo(s)}
            >
              <span className="jp-Autopilot-stepNumber" aria-hidden="true">
                {i + 1}
              </span>
              <span>{titles[s]}</span>
              {props.hasErrors(s) && (
                <span className="jp-Autopilot-stepError">
                  <span className="jp-Autopilot-srOnly">
                    {trans.__('(has errors)')}
                  </span>
                  !
                </span>
              )}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
