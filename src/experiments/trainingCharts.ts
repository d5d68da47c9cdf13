/**
 * Vega-Lite specification of a trial's learning curve (training insight): the
 * model's evaluation metric per iteration on training and validation data, with
 * the iteration early stopping kept marked.
 *
 * A pure function (unit-tested). Fonts, axes, grid and legend colours come from
 * the JupyterLab theme (`theme.ts`, applied by `VegaChart`); the two series have
 * their own colours here, readable on light and dark themes, because the theme's
 * category range is shared with charts that colour many series.
 */
import type { VisualizationSpec } from 'vega-embed';

import type { CandidateDetail } from '../api/types';
import { thin } from './candidateCharts';

/** A learning curve recorded while a trial trained. */
export type TrainingCurve = NonNullable<
  CandidateDetail['training_curves']
>[number];

/** A training-insight rule that fired for a trial. */
export type TrainingFinding = NonNullable<
  CandidateDetail['training_findings']
>[number];

/** Texts of the chart, translated by the caller. */
export interface ITrainingChartTexts {
  iteration: string;
  train: string;
  validation: string;
  /** Label of the marked iteration, e.g. "Iteration kept". */
  best: string;
  /** Appended to the metric on the y axis: "lower is better" / "higher is better". */
  lowerIsBetter: string;
  higherIsBetter: string;
}

/** One point of the chart: a split's metric value at an iteration. */
export interface ITrainingPoint {
  iteration: number;
  split: string;
  value: number;
}

/** Training (blue) and validation (orange: the split that matters) lines. */
export const TRAINING_COLORS = ['#1e88e5', '#f57c00'];

/** Most points drawn per split (stored curves have about 200 already). */
const MAX_POINTS = 400;

/**
 * The curve as long-format points (training first, then validation), skipping
 * values that are not finite numbers.
 */
export function trainingPoints(
  curve: TrainingCurve,
  texts: Pick<ITrainingChartTexts, 'train' | 'validation'>
): ITrainingPoint[] {
  const points: ITrainingPoint[] = [];
  const splits: Array<[string, readonly number[]]> = [
    [texts.train, curve.train],
    [texts.validation, curve.validation]
  ];
  for (const [split, values] of splits) {
    const series = curve.iterations
      .map((iteration, i) => ({ iteration, split, value: values[i] }))
      .filter(p => typeof p.value === 'number' && isFinite(p.value));
    points.push(...thin(series, MAX_POINTS));
  }
  return points;
}

/** The validation value at the iteration kept, when it was recorded. */
export function bestPoint(
  curve: TrainingCurve
): { iteration: number; value: number } | null {
  const best = curve.best_iteration;
  if (best === null || best === undefined) {
    return null;
  }
  const at = curve.iterations.indexOf(best);
  const value = at >= 0 ? curve.validation[at] : undefined;
  return value !== undefined && isFinite(value)
    ? { iteration: best, value }
    : null;
}

/**
 * Training vs validation lines per iteration, a dashed rule at the iteration
 * kept (with the validation value there as a point).
 */
export function trainingCurveSpec(
  curve: TrainingCurve,
  texts: ITrainingChartTexts
): VisualizationSpec {
  const values = trainingPoints(curve, texts);
  const metric = `${curve.metric} (${
    curve.goal === 'maximize' ? texts.higherIsBetter : texts.lowerIsBetter
  })`;
  const layers: Array<Record<string, unknown>> = [
    {
      data: { values },
      mark: { type: 'line', tooltip: true },
      encoding: {
        x: {
          field: 'iteration',
          type: 'quantitative',
          title: texts.iteration,
          axis: { format: 'd' }
        },
        y: {
          field: 'value',
          type: 'quantitative',
          title: metric,
          scale: { zero: false }
        },
        color: {
          field: 'split',
          type: 'nominal',
          title: null,
          scale: {
            domain: [texts.train, texts.validation],
            range: TRAINING_COLORS
          },
          legend: { orient: 'top', direction: 'horizontal' }
        },
        tooltip: [
          { field: 'split', type: 'nominal', title: ' ' },
          { field: 'iteration', type: 'quantitative', title: texts.iteration },
          {
            field: 'value',
            type: 'quantitative',
            title: curve.metric,
            format: '.4f'
          }
        ]
      }
    }
  ];
  const best = bestPoint(curve);
  if (best) {
    // Coloured like the validation line: the colour scale is shared by the layers.
    const marked = [
      { iteration: best.iteration, value: best.value, split: texts.validation }
    ];
    const tooltip = [
      { field: 'iteration', type: 'quantitative', title: texts.best },
      {
        field: 'value',
        type: 'quantitative',
        title: `${texts.validation} ${curve.metric}`,
        format: '.4f'
      }
    ];
    layers.push(
      {
        data: { values: marked },
        mark: { type: 'rule', strokeDash: [4, 4], opacity: 0.7 },
        encoding: {
          x: { field: 'iteration', type: 'quantitative' },
          tooltip
        }
      },
      {
        data: { values: marked },
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x: { field: 'iteration', type: 'quantitative' },
          y: { field: 'value', type: 'quantitative' },
          color: { field: 'split', type: 'nominal' },
          tooltip
        }
      }
    );
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 220,
    layer: layers
  } as unknown as VisualizationSpec;
}
