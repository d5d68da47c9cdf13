/**
 * The series preview's small multiples: one line chart per item the server returned
 * (the longest items first), sharing the time axis. Pure functions (a Vega-Lite spec).
 */
import type { VisualizationSpec } from 'vega-embed';

import type { SeriesPlot } from '../api/types';

/** Width of each item's chart, in px. */
export const SERIES_CHART_WIDTH = 560;

/** The tidy rows the chart draws: one per item and period with a value. */
export interface ISeriesPoint {
  item: string;
  timestamp: string;
  value: number;
}

/** Texts of the chart, translated by the caller. */
export interface ISeriesChartTexts {
  time: string;
  /** The target column's name. */
  value: string;
  /** The title of an item whose id is empty (the file is one series). */
  oneSeries: string;
}

/** The points of the series (missing values left out: the line skips them). */
export function seriesPoints(
  series: readonly SeriesPlot[],
  texts: Pick<ISeriesChartTexts, 'oneSeries'>
): ISeriesPoint[] {
  const points: ISeriesPoint[] = [];
  for (const s of series) {
    const item = s.item_id || texts.oneSeries;
    s.timestamps.forEach((timestamp, i) => {
      const value = s.values[i];
      if (value !== null && value !== undefined && isFinite(value)) {
        points.push({ item, timestamp, value });
      }
    });
  }
  return points;
}

/**
 * One small line chart per item, in the server's order, each with its own y scale
 * (items differ in level) and the time axis shared.
 */
export function seriesSmallMultiplesSpec(
  series: readonly SeriesPlot[],
  texts: ISeriesChartTexts
): VisualizationSpec {
  const order = series.map(s => s.item_id || texts.oneSeries);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values: seriesPoints(series, texts) },
    facet: {
      row: {
        field: 'item',
        type: 'nominal',
        title: null,
        sort: order,
        header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start' }
      }
    },
    spacing: 8,
    resolve: { scale: { y: 'independent' } },
    spec: {
      // Vega-Lite sizes a faceted chart's cells in pixels only ('container' is for
      // single views); the box scrolls on a narrow panel.
      width: SERIES_CHART_WIDTH,
      height: 70,
      mark: { type: 'line', tooltip: true, strokeWidth: 1.5 },
      encoding: {
        x: { field: 'timestamp', type: 'temporal', title: texts.time },
        y: {
          field: 'value',
          type: 'quantitative',
          title: texts.value,
          scale: { zero: false },
          axis: { tickCount: 3 }
        },
        tooltip: [
          { field: 'item', type: 'nominal', title: ' ' },
          { field: 'timestamp', type: 'temporal', title: texts.time },
          {
            field: 'value',
            type: 'quantitative',
            title: texts.value,
            format: ',.4~g'
          }
        ]
      }
    }
  } as VisualizationSpec;
}
