/**
 * Vega-Lite specifications of the candidate charts, built from the API's data.
 *
 * Pure functions (unit-tested); the theme (colours, fonts) is applied by
 * `VegaChart` from JupyterLab's CSS variables at render time.
 */
import type { VisualizationSpec } from 'vega-embed';

import type {
  ConfusionMatrix,
  Curve,
  FeatureImportance,
  Residuals
} from '../api/types';

/** Axis titles and chart texts, translated by the caller. */
export interface IChartTexts {
  [key: string]: string;
}

/** Keep at most `max` points, evenly spaced (curves and scatter plots). */
export function thin<T>(values: readonly T[], max: number): T[] {
  if (values.length <= max) {
    return [...values];
  }
  const step = values.length / max;
  const out: T[] = [];
  for (let i = 0; i < max; i++) {
    out.push(values[Math.floor(i * step)]);
  }
  out.push(values[values.length - 1]);
  return out;
}

/** Horizontal bars, most important feature on top; `top` bars at most. */
export function featureImportanceSpec(
  items: readonly FeatureImportance[],
  texts: { feature: string; importance: string },
  top = 15
): VisualizationSpec {
  const values = [...items]
    .filter(i => isFinite(i.importance))
    .sort((a, b) => b.importance - a.importance)
    .slice(0, top)
    .map(i => ({ feature: i.feature, importance: i.importance }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: { step: 18 },
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: {
        field: 'feature',
        type: 'nominal',
        sort: '-x',
        title: null,
        axis: { labelLimit: 160 }
      },
      x: { field: 'importance', type: 'quantitative', title: texts.importance },
      tooltip: [
        { field: 'feature', type: 'nominal', title: texts.feature },
        {
          field: 'importance',
          type: 'quantitative',
          title: texts.importance,
          format: '.4f'
        }
      ]
    }
  } as VisualizationSpec;
}

/** Cells of a confusion matrix as records (with the share of each actual row). */
export function confusionCells(
  cm: ConfusionMatrix
): Array<{ actual: string; predicted: string; count: number; share: number }> {
  const cells: Array<{
    actual: string;
    predicted: string;
    count: number;
    share: number;
  }> = [];
  cm.matrix.forEach((row, i) => {
    const total = row.reduce((sum, v) => sum + v, 0) || 1;
    row.forEach((count, j) => {
      cells.push({
        actual: cm.labels[i] ?? String(i),
        predicted: cm.labels[j] ?? String(j),
        count,
        share: count / total
      });
    });
  });
  return cells;
}

/**
 * A heatmap with the count in each cell (rows: actual, columns: predicted); `weighted`:
 * the cells are sums of sample weights, shown with up to two decimals.
 */
export function confusionMatrixSpec(
  cm: ConfusionMatrix,
  texts: {
    actual: string;
    predicted: string;
    count: number | string;
    share: string;
  },
  weighted = false
): VisualizationSpec {
  const values = confusionCells(cm);
  const countFormat = weighted ? ',.2~f' : ',';
  const max = Math.max(1, ...values.map(v => v.count));
  const size = Math.max(
    36,
    Math.min(72, Math.floor(320 / Math.max(1, cm.labels.length)))
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    width: { step: size },
    height: { step: size },
    encoding: {
      x: {
        field: 'predicted',
        type: 'nominal',
        sort: cm.labels,
        title: texts.predicted,
        axis: { labelAngle: 0, orient: 'top' }
      },
      y: {
        field: 'actual',
        type: 'nominal',
        sort: cm.labels,
        title: texts.actual
      }
    },
    layer: [
      {
        mark: { type: 'rect', tooltip: true },
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative',
            title: String(texts.count),
            scale: { scheme: 'blues' },
            legend: null
          },
          tooltip: [
            { field: 'actual', type: 'nominal', title: texts.actual },
            { field: 'predicted', type: 'nominal', title: texts.predicted },
            {
              field: 'count',
              type: 'quantitative',
              title: String(texts.count),
              format: countFormat
            },
            {
              field: 'share',
              type: 'quantitative',
              title: texts.share,
              format: '.1%'
            }
          ]
        }
      },
      {
        mark: { type: 'text', fontWeight: 'bold' },
        encoding: {
          text: { field: 'count', type: 'quantitative', format: countFormat },
          color: {
            condition: { test: `datum.count > ${max / 2}`, value: 'white' },
            value: 'black'
          }
        }
      }
    ]
  } as VisualizationSpec;
}

/** An ROC or precision-recall curve (ROC gets the chance diagonal). */
export function curveSpec(
  curve: Curve,
  kind: 'roc' | 'pr',
  texts: { x: string; y: string; threshold: string }
): VisualizationSpec {
  const points = thin(
    curve.x.map((x, i) => ({
      x,
      y: curve.y[i],
      threshold: curve.thresholds ? (curve.thresholds[i] ?? null) : null
    })),
    400
  );
  const line: Record<string, unknown> = {
    data: { values: points },
    mark: {
      type: 'line',
      interpolate: kind === 'pr' ? 'step-after' : 'linear',
      tooltip: true
    },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: texts.x,
        scale: { domain: [0, 1] }
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: texts.y,
        scale: { domain: [0, 1] }
      },
      order: kind === 'roc' ? { field: 'x', type: 'quantitative' } : undefined,
      tooltip: [
        { field: 'x', type: 'quantitative', title: texts.x, format: '.3f' },
        { field: 'y', type: 'quantitative', title: texts.y, format: '.3f' },
        {
          field: 'threshold',
          type: 'quantitative',
          title: texts.threshold,
          format: '.3f'
        }
      ]
    }
  };
  const layers: Array<Record<string, unknown>> = [];
  if (kind === 'roc') {
    layers.push({
      data: {
        values: [
          { x: 0, y: 0 },
          { x: 1, y: 1 }
        ]
      },
      mark: { type: 'line', strokeDash: [4, 4], opacity: 0.5 },
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'y', type: 'quantitative' }
      }
    });
  }
  layers.push(line);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 220,
    layer: layers
  } as unknown as VisualizationSpec;
}

/** Predicted against actual values (regression), with the y = x line. */
export function residualsSpec(
  residuals: Residuals,
  texts: { actual: string; predicted: string }
): VisualizationSpec {
  const points = thin(
    residuals.actual.map((actual, i) => ({
      actual,
      predicted: residuals.predicted[i]
    })),
    1500
  );
  const all = points
    .flatMap(p => [p.actual, p.predicted])
    .filter(v => isFinite(v));
  const low = all.length ? Math.min(...all) : 0;
  const high = all.length ? Math.max(...all) : 1;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 240,
    layer: [
      {
        data: { values: points },
        mark: {
          type: 'point',
          filled: true,
          opacity: 0.4,
          size: 16,
          tooltip: true
        },
        encoding: {
          x: {
            field: 'actual',
            type: 'quantitative',
            title: texts.actual,
            scale: { zero: false }
          },
          y: {
            field: 'predicted',
            type: 'quantitative',
            title: texts.predicted,
            scale: { zero: false }
          }
        }
      },
      {
        data: {
          values: [
            { actual: low, predicted: low },
            { actual: high, predicted: high }
          ]
        },
        mark: { type: 'line', strokeDash: [4, 4], opacity: 0.6 },
        encoding: {
          x: { field: 'actual', type: 'quantitative' },
          y: { field: 'predicted', type: 'quantitative' }
        }
      }
    ]
  } as VisualizationSpec;
}
