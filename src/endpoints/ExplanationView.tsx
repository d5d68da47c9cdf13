/**
 * A prediction's explanation (the contributions chart) and two what-if scenarios
 * side by side, in the Predict form.
 */
import * as React from 'react';

import type { Explanation, RowExplanation } from '../api/types';
import { VegaChart } from '../common/charts/VegaChart';
import { useTrans } from '../common/components';
import { formatPercent, formatValue } from '../format';
import {
  compareScenarios,
  contributionBars,
  contributionSpec,
  formatContribution,
  IScenario,
  spaceText
} from './explanations';
import { PredictionResult } from './PredictionResult';

/** The contributions of one row as horizontal bars, with the base value and output. */
export function ExplanationChart(props: {
  row: RowExplanation;
  space: Explanation['space'];
  method: Explanation['method'];
}): JSX.Element {
  const trans = useTrans();
  const { row, space, method } = props;
  const measured = spaceText(space, row.label, trans);
  const bars = React.useMemo(
    () =>
      contributionBars(row, {
        missing: trans.__('missing'),
        other: n => trans.__('%1 other columns', n)
      }),
    [row, trans]
  );
  const spec = React.useMemo(
    () =>
      contributionSpec(bars, {
        axis: trans.__('Contribution to the %1', measured),
        feature: trans.__('Column = value')
      }),
    [bars, measured, trans]
  );
  const methods: Record<string, string> = {
    tree_shap: trans.__('exact TreeSHAP'),
    linear: trans.__('exact (linear model)'),
    sampling: trans.__('Shapley estimate on training rows'),
    kernel_shap: trans.__('SageMaker Clarify Kernel SHAP')
  };
  const show = (v: number) =>
    space === 'probability' ? formatPercent(v, 1) : formatValue(+v.toFixed(4));
  return (
    <figure className="jp-AutopilotExplain" data-testid="contributions">
      <figcaption>
        <strong>{trans.__('Why: contributions of each column')}</strong>
        <span className="jp-Autopilot-muted">
          {trans.__(
            '%1: base %2, this row %3 (%4)',
            measured,
            show(row.base_value),
            show(row.output),
            methods[method] ?? method
          )}
        </span>
      </figcaption>
      <VegaChart
        spec={spec}
        label={trans.__(
          'Contributions of each column to the %1 of this row',
          measured
        )}
        minHeight={bars.length * 20 + 40}
        errorText={trans.__('The chart could not be drawn.')}
      />
      <ul
        className="jp-AutopilotExplain-list"
        aria-label={trans.__('Contributions')}
      >
        {bars.slice(0, 3).map(b => (
          <li key={b.feature}>
            {b.feature}: {formatContribution(b.contribution, space)}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Scenario A and B side by side, with what changed and how the prediction moved. */
export function ScenarioComparison(props: {
  a: IScenario;
  b: IScenario | null;
  columns: readonly string[];
}): JSX.Element {
  const trans = useTrans();
  const { a, b, columns } = props;
  const delta = b ? compareScenarios(a, b, columns) : null;
  const side = (name: string, s: IScenario | null, hint: string) => (
    <section
      className="jp-AutopilotWhatIf-scenario"
      aria-label={trans.__('Scenario %1', name)}
      data-testid={`scenario-${name}`}
    >
      <h4>{trans.__('Scenario %1', name)}</h4>
      {s ? (
        <>
          <PredictionResult
            rows={[columns.map(c => s.values[c] ?? '')]}
            predictions={[s.prediction]}
          />
          {s.explanation && s.space && s.method && (
            <ExplanationChart
              row={s.explanation}
              space={s.space}
              method={s.method}
            />
          )}
        </>
      ) : (
        <p className="jp-Autopilot-muted">{hint}</p>
      )}
    </section>
  );
  return (
    <div className="jp-AutopilotWhatIf">
      {delta && (
        <p className="jp-AutopilotWhatIf-delta" data-testid="scenario-delta">
          {delta.changed.length
            ? trans.__('Changed: %1.', delta.changed.join(', '))
            : trans.__('No value changed.')}{' '}
          {delta.delta !== null &&
            (delta.label !== null
              ? trans.__(
                  'Probability of %1: %2 points (B − A).',
                  delta.label,
                  `${delta.delta >= 0 ? '+' : '−'}${Math.abs(delta.delta * 100).toFixed(1)}`
                )
              : trans.__(
                  'Prediction: %1 (B − A).',
                  `${delta.delta >= 0 ? '+' : '−'}${formatValue(+Math.abs(delta.delta).toFixed(4))}`
                ))}{' '}
          {delta.labelChanged && trans.__('The predicted label changed.')}
        </p>
      )}
      <div className="jp-AutopilotWhatIf-sides">
        {side('A', a, '')}
        {side(
          'B',
          b,
          trans.__('Change values above and press Predict to see scenario B.')
        )}
      </div>
    </div>
  );
}
