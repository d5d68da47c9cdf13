/**
 * Vega-Lite specifications of the endpoint monitoring charts: baseline against
 * captured shares per bin or category (a feature or the predictions), and the
 * population stability index of every feature with its thresholds.
 *
 * Pure functions (unit-tested); the theme (fonts, axis colours) is applied by
 * `VegaChart` from JupyterLab's CSS variables at render time. The status colours
 * are mid-tones that read on light and dark backgrounds.
 */
import type { VisualizationSpec } from 'vega-embed';

import type { DriftHistogram, FeatureDrift } from '../api/types';
import { PSI_DRIFT, PSI_WARNING } from './drift';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Colours of the drift statuses (and of the PSI threshold rules). */
export const DRIFT_COLORS: Record<string, string> = {
  ok: '#43a047',
  warning: '#fb8c00',
  drift: '#e53935',
  insufficient_data: '#9e9e9e'
};

/** Colours of the two series of a histogram: the baseline muted, now the accent. */
export const SERIES_COLORS = ['#90a4ae', '#1e88e5'];

/** One bar of a histogram chart. */
export interface IHistogramValue {
  bin: string;
  index: number;
  series: string;
  share: number;
}

/** The bars of a histogram: two per bin (baseline, then current), in bin order. */
export function histogramValues(
  histogram: DriftHistogram,
  texts: { baseline: string; current: string }
): IHistogramValue[] {
  const values: IHistogramValue[] = [];
  histogram.bins.forEach((bin, index) => {
    const baseline = histogram.baseline[index];
    const current = histogram.current[index];
    values.push({
      bin,
      index,
      series: texts.baseline,
      share: typeof baseline === 'number' && isFinite(baseline) ? baseline : 0
    });
    values.push({
      bin,
      index,
      series: texts.current,
      share: typeof current === 'number' && isFinite(current) ? current : 0
    });
  });
  return values;
}

/**
 * Grouped bars: for each bin (numeric ranges in order, or categories) the share of
 * values in the baseline (training data) next to the share in the captured data.
 */
export function histogramSpec(
  histogram: DriftHistogram,
  texts: {
    bin: string;
    share: string;
    baseline: string;
    current: string;
    series: string;
  }
): VisualizationSpec {
  const values = histogramValues(histogram, texts);
  const many = histogram.bins.length > 6;
  return {
    $schema: SCHEMA,
    width: 'container',
    height: 200,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: {
        field: 'bin',
        type: 'nominal',
        sort: [...histogram.bins],
        title: texts.bin,
        axis: { labelAngle: many ? -35 : 0, labelLimit: 110 }
      },
      xOffset: {
        field: 'series',
        type: 'nominal',
        sort: [texts.baseline, texts.current]
      },
      y: {
        field: 'share',
        type: 'quantitative',
        title: texts.share,
        axis: { format: '.0%' }
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: texts.series,
        scale: {
          domain: [texts.baseline, texts.current],
          range: SERIES_COLORS
        },
        legend: { orient: 'top', direction: 'horizontal', title: null }
      },
      tooltip: [
        { field: 'bin', type: 'nominal', title: texts.bin },
        { field: 'series', type: 'nominal', title: texts.series },
        {
          field: 'share',
          type: 'quantitative',
          title: texts.share,
          format: '.1%'
        }
      ]
    }
  } as unknown as VisualizationSpec;
}

/**
 * Horizontal bars of the PSI of each feature (in the order given), coloured by
 * status, with rules at the moderate-shift (0.1) and drift (0.25) thresholds.
 * Features without a PSI (free text, nothing captured) are left out.
 */
export function psiSpec(
  features: readonly FeatureDrift[],
  texts: {
    feature: string;
    psi: string;
    status: string;
    warning: string;
    drift: string;
  },
  statusLabels: Record<string, string>
): VisualizationSpec {
  const values = features
    .filter(f => typeof f.distance === 'number' && isFinite(f.distance))
    .map(f => ({
      feature: f.feature,
      psi: f.distance as number,
      status: statusLabels[f.status] ?? f.status
    }));
  const statuses = ['ok', 'warning', 'drift', 'insufficient_data'];
  const largest = Math.max(0, ...values.map(v => v.psi));
  const x = {
    field: 'psi',
    type: 'quantitative',
    title: texts.psi,
    // Both thresholds stay in view even when every feature is stable.
    scale: { domain: [0, Math.max(PSI_DRIFT * 1.2, largest)], nice: true }
  };
  const rule = (psi: number, label: string, color: string) => ({
    data: { values: [{ psi, label }] },
    mark: { type: 'rule', color, strokeDash: [4, 3], strokeWidth: 1.5 },
    encoding: {
      x,
      tooltip: [
        { field: 'label', type: 'nominal', title: texts.status },
        { field: 'psi', type: 'quantitative', title: texts.psi }
      ]
    }
  });
  return {
    $schema: SCHEMA,
    width: 'container',
    height: { step: 20 },
    autosize: { type: 'fit-x', contains: 'padding' },
    layer: [
      {
        data: { values },
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: {
            field: 'feature',
            type: 'nominal',
            sort: values.map(v => v.feature),
            title: null,
            axis: { labelLimit: 160 }
          },
          x,
          color: {
            field: 'status',
            type: 'nominal',
            title: texts.status,
            scale: {
              domain: statuses.map(s => statusLabels[s] ?? s),
              range: statuses.map(s => DRIFT_COLORS[s])
            },
            legend: { orient: 'top', direction: 'horizontal', title: null }
          },
          tooltip: [
            { field: 'feature', type: 'nominal', title: texts.feature },
            {
              field: 'psi',
              type: 'quantitative',
              title: texts.psi,
              format: '.3f'
            },
            { field: 'status', type: 'nominal', title: texts.status }
          ]
        }
      },
      rule(PSI_WARNING, texts.warning, DRIFT_COLORS.warning),
      rule(PSI_DRIFT, texts.drift, DRIFT_COLORS.drift)
    ]
  } as unknown as VisualizationSpec;
}
