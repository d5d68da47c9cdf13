/**
 * The bill before the run: a SageMaker estimate of time and cost, its assumptions
 * and the date and source of its prices, next to the tutorial's own warning.
 */
import * as React from 'react';

import type { CostEstimate } from '../api/types';
import { formatUsd } from '../format';
import { Notice, useTrans } from './components';

function hours(value: number): string {
  return value >= 48 ? `${Math.round(value / 24)} d` : `${value} h`;
}

/** Typical and worst-case time and cost, with the assumptions behind them. */
export function CostEstimateView(props: {
  estimate: CostEstimate;
  what: string;
}): JSX.Element {
  const trans = useTrans();
  const e = props.estimate;
  const typical =
    e.typical_cost_usd !== null && e.typical_cost_usd !== undefined
      ? trans.__(
          'Typically about %1, about %2.',
          hours(e.typical_hours),
          formatUsd(e.typical_cost_usd)
        )
      : trans.__('About %1; no price in the table.', hours(e.typical_hours));
  const worst =
    e.max_cost_usd !== null &&
    e.max_cost_usd !== undefined &&
    e.max_cost_usd !== e.typical_cost_usd
      ? trans.__(
          'At most %1, up to %2 if every limit is reached.',
          hours(e.max_hours),
          formatUsd(e.max_cost_usd)
        )
      : '';
  return (
    <Notice kind="info">
      <div
        className="jp-AutopilotEstimate"
        aria-label={trans.__('Cost estimate')}
      >
        <strong>{trans.__('Estimated cost of %1', props.what)}</strong>{' '}
        <span className="jp-AutopilotEstimate-typical">{typical}</span>{' '}
        {worst && <span className="jp-AutopilotEstimate-worst">{worst}</span>}
        <p className="jp-Autopilot-muted">{e.tutorial_note}</p>
        <details>
          <summary>{trans.__('Assumptions and prices')}</summary>
          <ul>
            {(e.assumptions ?? []).map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ul>
          <p className="jp-Autopilot-muted">{e.price_table}</p>
        </details>
      </div>
    </Notice>
  );
}
