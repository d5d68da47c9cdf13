/**
 * A forecaster's answer in the Predict section: the tidy forecasts (item_id, timestamp,
 * mean, p10...) as table columns, and a chart per item of its recent history with the
 * forecast's mean and band (lowest to highest quantile). Pure functions.
 */
import type { VisualizationSpec } from 'vega-embed';

import type { SeriesPlot } from '../api/types';

/** One row of a forecaster's answer. */
export type ForecastRow = Record<string, string | number | null>;

/** The quantile columns of the answer (p10, p50, p90...), ascending. */
export function quantileColumns(rows: readonly ForecastRow[]): string[] {
  const names = new Set<string>();
  for (const row of rows) {
    Object.keys(row)
      .filter(k => /^p\d{1,2}$/.test(k))
      .forEach(k => names.add(k));
  }
  return [...names].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

/** Texts of the chart, translated by the caller. */
export interface IForecastChartTexts {
  time: string;
  /** The target column's name. */
  value: string;
  history: string;
  forecast: string;
  /** The previous forecast's name, when it is drawn for comparison (what-if). */
  before?: string;
}

/**
 * Points of the chart: history (last `historyPoints` per item), the forecast, and the
 * mean of a previous forecast of the same items (`before`, labelled `texts.before`).
 */
export function forecastChartData(
  rows: readonly ForecastRow[],
  history: readonly SeriesPlot[],
  texts: Pick<IForecastChartTexts, 'history' | 'forecast' | 'before'>,
  historyPoints = 36,
  before: readonly ForecastRow[] = []
): Array<Record<string, string | number | boolean | null>> {
  const quantiles = quantileColumns(rows);
  const low = quantiles[0];
  const high = quantiles[quantiles.length - 1];
  const items = new Set(rows.map(r => String(r.item_id)));
  const points: Array<Record<string, string | number | boolean | null>> = [];
  for (const s of history) {
    if (!items.has(s.item_id)) {
      continue;
    }
    const start = Math.max(0, s.timestamps.length - historyPoints);
    for (let i = start; i < s.timestamps.length; i++) {
      if (s.values[i] !== null && s.values[i] !== undefined) {
        points.push({
          item: s.item_id,
          timestamp: s.timestamps[i],
          value: s.values[i],
          kind: texts.history,
          isForecast: false
        });
      }
    }
  }
  if (texts.before) {
    for (const row of before) {
      if (items.has(String(row.item_id))) {
        points.push({
          item: String(row.item_id),
          timestamp: String(row.timestamp),
          value: row.mean ?? null,
          kind: texts.before,
          isForecast: false
        });
      }
    }
  }
  for (const row of rows) {
    points.push({
      item: String(row.item_id),
      timestamp: String(row.timestamp),
      value: row.mean ?? null,
      low: low ? (row[low] ?? null) : null,
      high: high ? (row[high] ?? null) : null,
      kind: texts.forecast,
      isForecast: true
    });
  }
  return points;
}

/**
 * One chart per item: the history and the forecast's mean as lines (coloured by kind),
 * the band between the lowest and highest quantile behind them, and a previous
 * forecast's mean (`before`) when there is one.
 */
export function forecastChartSpec(
  rows: readonly ForecastRow[],
  history: readonly SeriesPlot[],
  texts: IForecastChartTexts,
  before: readonly ForecastRow[] = []
): VisualizationSpec {
  const kinds = [texts.history, texts.forecast];
  if (texts.before && before.length) {
    kinds.push(texts.before);
  }
  const quantiles = quantileColumns(rows);
  const band = quantiles.length >= 2;
  const x = { field: 'timestamp', type: 'temporal', title: texts.time };
  const layers: Array<Record<string, unknown>> = [];
  if (band) {
    layers.push({
      transform: [{ filter: 'datum.isForecast' }],
      mark: { type: 'area', opacity: 0.25 },
      encoding: {
        x,
        y: { field: 'low', type: 'quantitative' },
        y2: { field: 'high' },
        color: { field: 'kind', type: 'nominal', title: null }
      }
    });
  }
  layers.push({
    mark: { type: 'line', point: false, tooltip: true },
    encoding: {
      x,
      y: {
        field: 'value',
        type: 'quantitative',
        title: texts.value,
        scale: { zero: false }
      },
      color: {
        field: 'kind',
        type: 'nominal',
        title: null,
        scale: { domain: kinds },
        legend: { orient: 'top', direction: 'horizontal' }
      },
      // The previous forecast dashed: it is there to compare with, not to read alone.
      strokeDash: {
        field: 'kind',
        type: 'nominal',
        scale: {
          domain: kinds,
          range: kinds.map((_, i) => (i < 2 ? [1, 0] : [4, 3]))
        },
        legend: null
      }
    }
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values: forecastChartData(rows, history, texts, 36, before) },
    facet: {
      row: {
        field: 'item',
        type: 'nominal',
        title: null,
        header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start' }
      }
    },
    resolve: { scale: { y: 'independent' } },
    spacing: 8,
    spec: { width: 560, height: 110, layer: layers }
  } as unknown as VisualizationSpec;
}

/** How the mean forecast moved between two forecasts, over the steps both have. */
export function meanChange(
  before: readonly ForecastRow[],
  after: readonly ForecastRow[]
): { steps: number; delta: number; percent: number | null } | null {
  const earlier = new Map(
    before.map(r => [`${r.item_id}\u0000${r.timestamp}`, r.mean])
  );
  let steps = 0;
  let sumBefore = 0;
  let sumAfter = 0;
  for (const row of after) {
    const old = earlier.get(`${row.item_id}\u0000${row.timestamp}`);
    if (typeof old === 'number' && typeof row.mean === 'number') {
      steps += 1;
      sumBefore += old;
      sumAfter += row.mean;
    }
  }
  if (!steps) {
    return null;
  }
  const delta = (sumAfter - sumBefore) / steps;
  const percent =
    sumBefore !== 0
      ? (100 * (sumAfter - sumBefore)) / Math.abs(sumBefore)
      : null;
  return { steps, delta, percent };
}
