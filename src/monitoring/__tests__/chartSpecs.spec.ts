import type { FeatureDrift } from '../../api/types';
import {
  DRIFT_COLORS,
  histogramSpec,
  histogramValues,
  psiSpec
} from '../chartSpecs';

const texts = {
  bin: 'Range',
  share: 'Share of values',
  baseline: 'Training data',
  current: 'Captured',
  series: 'Data'
};

const labels = {
  ok: 'No drift',
  warning: 'Moderate shift',
  drift: 'Drift',
  insufficient_data: 'Not enough data'
};

function feature(
  name: string,
  status: FeatureDrift['status'],
  distance: number | null
): FeatureDrift {
  return {
    feature: name,
    kind: 'numeric',
    status,
    distance,
    statistic: null,
    statistic_name: null,
    baseline_missing: 0,
    current_missing: 0,
    current_count: 100,
    histogram: null
  };
}

describe('histogram chart', () => {
  const histogram = {
    bins: ['≤ 30', '30 to 40', '> 40'],
    baseline: [0.4, 0.4, 0.2],
    current: [0.1, 0.2, NaN]
  };

  it('pairs the baseline and captured share of each bin', () => {
    expect(histogramValues(histogram, texts)).toEqual([
      { bin: '≤ 30', index: 0, series: 'Training data', share: 0.4 },
      { bin: '≤ 30', index: 0, series: 'Captured', share: 0.1 },
      { bin: '30 to 40', index: 1, series: 'Training data', share: 0.4 },
      { bin: '30 to 40', index: 1, series: 'Captured', share: 0.2 },
      { bin: '> 40', index: 2, series: 'Training data', share: 0.2 },
      // Not a number: no bar rather than a broken chart.
      { bin: '> 40', index: 2, series: 'Captured', share: 0 }
    ]);
  });

  it('draws grouped bars in bin order with a percentage axis', () => {
    const spec = histogramSpec(histogram, texts) as any;
    expect(spec.mark.type).toBe('bar');
    expect(spec.data.values).toHaveLength(6);
    expect(spec.encoding.x.sort).toEqual(histogram.bins);
    expect(spec.encoding.x.axis.labelAngle).toBe(0);
    expect(spec.encoding.xOffset.field).toBe('series');
    expect(spec.encoding.y.axis.format).toBe('.0%');
    expect(spec.encoding.color.scale.domain).toEqual([
      'Training data',
      'Captured'
    ]);
    expect(spec.encoding.tooltip[2].format).toBe('.1%');
  });

  it('tilts the labels of many bins', () => {
    const many = {
      bins: Array.from({ length: 10 }, (_, i) => `bin ${i}`),
      baseline: Array(10).fill(0.1),
      current: Array(10).fill(0.1)
    };
    expect((histogramSpec(many, texts) as any).encoding.x.axis.labelAngle).toBe(
      -35
    );
  });
});

describe('PSI chart', () => {
  const features = [
    feature('age', 'drift', 1.8),
    feature('balance', 'warning', 0.15),
    feature('job', 'ok', 0.02),
    feature('notes', 'insufficient_data', null)
  ];
  const psiTexts = {
    feature: 'Feature',
    psi: 'PSI',
    status: 'Status',
    warning: 'Moderate shift above 0.1',
    drift: 'Drift above 0.25'
  };

  it('shows one bar per feature with a PSI, coloured by status', () => {
    const spec = psiSpec(features, psiTexts, labels) as any;
    const bars = spec.layer[0];
    expect(bars.data.values).toEqual([
      { feature: 'age', psi: 1.8, status: 'Drift' },
      { feature: 'balance', psi: 0.15, status: 'Moderate shift' },
      { feature: 'job', psi: 0.02, status: 'No drift' }
    ]);
    // The order given (drift first), not alphabetical.
    expect(bars.encoding.y.sort).toEqual(['age', 'balance', 'job']);
    expect(bars.encoding.color.scale.domain).toEqual([
      'No drift',
      'Moderate shift',
      'Drift',
      'Not enough data'
    ]);
    expect(bars.encoding.color.scale.range).toEqual([
      DRIFT_COLORS.ok,
      DRIFT_COLORS.warning,
      DRIFT_COLORS.drift,
      DRIFT_COLORS.insufficient_data
    ]);
    expect(bars.encoding.x.scale.domain).toEqual([0, 1.8]);
  });

  it('draws the 0.1 and 0.25 thresholds as rules', () => {
    const spec = psiSpec(features, psiTexts, labels) as any;
    const rules = spec.layer.slice(1);
    expect(rules).toHaveLength(2);
    expect(rules.map((r: any) => r.mark.type)).toEqual(['rule', 'rule']);
    expect(rules.map((r: any) => r.data.values[0].psi)).toEqual([0.1, 0.25]);
    expect(rules.map((r: any) => r.mark.color)).toEqual([
      DRIFT_COLORS.warning,
      DRIFT_COLORS.drift
    ]);
    expect(rules[1].data.values[0].label).toBe('Drift above 0.25');
  });

  it('keeps both thresholds in view when every feature is stable', () => {
    const spec = psiSpec([feature('job', 'ok', 0.01)], psiTexts, labels) as any;
    expect(spec.layer[0].encoding.x.scale.domain[1]).toBeGreaterThan(0.25);
  });
});
