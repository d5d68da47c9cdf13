/**
 * A candidate's training curves and what they show (overfitting, early stop…).
 */
import * as React from 'react';

import { VegaChart } from '../common/charts/VegaChart';
import { Notice, useTrans } from '../common/components';
import {
  TrainingCurve,
  TrainingFinding,
  trainingCurveSpec
} from './trainingCharts';

/** Training insight rule names as the UI shows them (translated). */
export function trainingRuleTitle(
  rule: string,
  trans: ReturnType<typeof useTrans>
): string {
  switch (rule) {
    case 'overfitting':
      return trans.__('Overfitting');
    case 'stalled_training':
      return trans.__('Stalled training');
    case 'class_imbalance':
      return trans.__('Class imbalance');
    default:
      return rule;
  }
}

/**
 * Training insight of a trial: its learning curves (training vs validation per
 * iteration, the iteration kept marked) and the rules that fired. Renders
 * nothing when there are neither curves nor findings.
 */
export function TrainingInsight(props: {
  name: string;
  curves: readonly TrainingCurve[];
  findings: readonly TrainingFinding[];
  /** Whether the trial finished (its model keeps the best iteration). */
  completed: boolean;
  /**
   * Whether the model keeps the best iteration (early stopping of local trials;
   * default). False for curves read from a training job's log (SageMaker), which
   * only say where the validation score was best.
   */
  keepsBest?: boolean;
}): JSX.Element | null {
  const trans = useTrans();
  const { curves, findings } = props;
  const keepsBest = props.keepsBest ?? true;
  const specs = React.useMemo(
    () =>
      curves.map(curve =>
        trainingCurveSpec(curve, {
          iteration: trans.__('Iteration'),
          train: trans.__('Training'),
          validation: trans.__('Validation'),
          best: keepsBest
            ? trans.__('Iteration kept')
            : trans.__('Best iteration'),
          lowerIsBetter: trans.__('lower is better'),
          higherIsBetter: trans.__('higher is better')
        })
      ),
    [curves, keepsBest, trans]
  );
  if (!curves.length && !findings.length) {
    return null;
  }
  return (
    <details className="jp-Autopilot-details" open>
      <summary>{trans.__('Training')}</summary>
      {curves.map((curve, i) => (
        <div key={i} className="jp-Autopilot-chartBox jp-mod-wide">
          <h5>{trans.__('Learning curve: %1 per iteration', curve.metric)}</h5>
          <VegaChart
            spec={specs[i]}
            label={trans.__(
              'Training and validation %1 of %2 per iteration',
              curve.metric,
              props.name
            )}
            minHeight={260}
            errorText={trans.__('The chart could not be drawn:')}
          />
          <p className="jp-Autopilot-muted">
            {curve.best_iteration !== null && curve.best_iteration !== undefined
              ? !keepsBest
                ? trans.__(
                    'Best validation score at iteration %1 of %2 logged by the training job.',
                    curve.best_iteration,
                    curve.iterations[curve.iterations.length - 1]
                  )
                : props.completed
                  ? trans.__(
                      'Early stopping kept iteration %1 of %2.',
                      curve.best_iteration,
                      curve.iterations[curve.iterations.length - 1]
                    )
                  : trans.__(
                      'Best validation score at iteration %1 of %2 (the trial did not finish).',
                      curve.best_iteration,
                      curve.iterations[curve.iterations.length - 1]
                    )
              : ''}{' '}
            {curve.train_rows
              ? trans.__(
                  'Training values measured on %1 training rows.',
                  curve.train_rows
                )
              : ''}
          </p>
        </div>
      ))}
      {findings.length > 0 ? (
        <ul
          className="jp-Autopilot-findings"
          aria-label={trans.__('Training findings')}
        >
          {findings.map((f, i) => (
            <li key={i} data-rule={f.rule} data-severity={f.severity}>
              <Notice kind={f.severity === 'warning' ? 'warning' : 'info'}>
                <strong>
                  {f.severity === 'warning'
                    ? trans.__('Warning: %1', trainingRuleTitle(f.rule, trans))
                    : trans.__('Note: %1', trainingRuleTitle(f.rule, trans))}
                </strong>
                {f.iteration !== null && f.iteration !== undefined
                  ? ` · ${trans.__('iteration %1', f.iteration)}`
                  : ''}
                <div>{f.message}</div>
                <div>
                  <em>{trans.__('Suggestion:')}</em> {f.suggestion}
                </div>
              </Notice>
            </li>
          ))}
        </ul>
      ) : (
        <p className="jp-Autopilot-muted">
          {trans.__('No training rule fired for this candidate.')}
        </p>
      )}
    </details>
  );
}
