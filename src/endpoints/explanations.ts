/**
 * Per-row explanations in the Predict form, as pure functions: the contributions
 * chart's Vega-Lite specification and the comparison of two what-if scenarios.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { VisualizationSpec } from 'vega-embed';

import type {
  Explanation,
  ExplanationSpace,
  Prediction,
  RowExplanation
} from '../api/types';

/** Bars shown at most; the remaining columns are summed into one "other" bar. */
export const TOP_CONTRIBUTIONS = 10;

/** One bar of the contributions chart. */
export interface IContributionBar {
  feature: string;
  contribution: number;
  direction: 'up' | 'down';
}

/** A value as the chart shows it ("missing" for null, numbers shortened). */
export function shortValue(value: unknown, missing: string): string {
  if (value === null || value === undefined || value === '') {
    return missing;
  }
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? String(value)
      : String(+value.toPrecision(4));
  }
  const text = String(value);
  return text.length > 24 ? text.slice(0, 23) + '…' : text;
}

/**
 * The bars of one row: `column = value`, largest magnitude first, the rest summed
 * into `other` so the bars still add up to `output - base_value`.
 */
export function contributionBars(
  row: RowExplanation,
  texts: { missing: string; other: (n: number) => string },
  top = TOP_CONTRIBUTIONS
): IContributionBar[] {
  const sorted = [...row.contributions].sort(
    (a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)
  );
  const bar = (feature: string, contribution: number): IContributionBar => ({
    feature,
    contribution,
    direction: contribution >= 0 ? 'up' : 'down'
  });
  const bars = sorted
    .slice(0, top)
    .map(c =>
      bar(`${c.column} = ${shortValue(c.value, texts.missing)}`, c.contribution)
    );
  const rest = sorted.slice(top);
  if (rest.length) {
    bars.push(
      bar(
        texts.other(rest.length),
        rest.reduce((sum, c) => sum + c.contribution, 0)
      )
    );
  }
  return bars;
}

/** What the contributions are measured in, in words. */
export function spaceText(
  space: ExplanationSpace,
  label: string | null | undefined,
  trans: TranslationBundle
): string {
  if (space === 'log_odds') {
    return trans.__('log-odds of %1', label ?? '');
  }
  if (space === 'probability') {
    return trans.__('probability of %1', label ?? '');
  }
  return trans.__('predicted value');
}

/** A number in the explanation's space ("+0.125", "-3.2 pts" for probabilities). */
export function formatContribution(
  value: number,
  space: ExplanationSpace
): string {
  const size = Math.abs(value);
  const text =
    space === 'probability'
      ? (size * 100).toFixed(1)
      : size < 0.001 && size > 0
        ? size.toExponential(1)
        : size.toPrecision(3);
  // No sign on what rounds to zero ("0.0 pts", not "−0.0 pts").
  const sign = Number(text) === 0 ? '' : value > 0 ? '+' : '−';
  return space === 'probability' ? `${sign}${text} pts` : `${sign}${text}`;
}

/** Horizontal bars, up in one colour and down in another, largest first. */
export function contributionSpec(
  bars: readonly IContributionBar[],
  texts: { axis: string; feature: string }
): VisualizationSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: { step: 20 },
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values: bars.map((b, i) => ({ ...b, order: i })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: {
        field: 'feature',
        type: 'nominal',
        sort: { field: 'order' },
        title: null,
        axis: { labelLimit: 200 }
      },
      x: { field: 'contribution', type: 'quantitative', title: texts.axis },
      color: {
        field: 'direction',
        type: 'nominal',
        scale: {
          domain: ['up', 'down'],
          range: ['#d6604d', '#4393c3']
        },
        legend: null
      },
      tooltip: [
        { field: 'feature', type: 'nominal', title: texts.feature },
        {
          field: 'contribution',
          type: 'quantitative',
          title: texts.axis,
          format: '.4f'
        }
      ]
    }
  } as VisualizationSpec;
}

/** The probability of `label` in a prediction, or null when it was not returned. */
export function probabilityOf(
  p: Prediction,
  label: string | null | undefined
): number | null {
  if (label === null || label === undefined || !p.labels || !p.probabilities) {
    return null;
  }
  const i = p.labels.findIndex(l => String(l) === String(label));
  const value = i >= 0 ? p.probabilities[i] : undefined;
  return typeof value === 'number' ? value : null;
}

/** One what-if scenario: the values sent and what came back. */
export interface IScenario {
  values: Record<string, string>;
  prediction: Prediction;
  explanation: RowExplanation | null;
  space: ExplanationSpace | null;
  method: Explanation['method'] | null;
}

/** What changed from scenario A to B: the columns edited and the prediction's move. */
export interface IScenarioDelta {
  changed: string[];
  /** The class compared (the explained class of A), null for regression. */
  label: string | null;
  /** B minus A: probability of `label` (classification) or the predicted value. */
  delta: number | null;
  labelChanged: boolean;
}

/** Compare two scenarios of the same endpoint (columns in `columns` order). */
export function compareScenarios(
  a: IScenario,
  b: IScenario,
  columns: readonly string[]
): IScenarioDelta {
  const changed = columns.filter(
    c => (a.values[c] ?? '').trim() !== (b.values[c] ?? '').trim()
  );
  const label = a.explanation?.label ?? null;
  let delta: number | null = null;
  if (label !== null) {
    const pa = probabilityOf(a.prediction, label);
    const pb = probabilityOf(b.prediction, label);
    delta = pa !== null && pb !== null ? pb - pa : null;
  } else if (
    typeof a.prediction.predicted_label === 'number' &&
    typeof b.prediction.predicted_label === 'number'
  ) {
    delta = b.prediction.predicted_label - a.prediction.predicted_label;
  }
  return {
    changed,
    label,
    delta,
    labelChanged:
      String(a.prediction.predicted_label) !==
      String(b.prediction.predicted_label)
  };
}
