import {
  confusionCells,
  confusionMatrixSpec,
  curveSpec,
  featureImportanceSpec,
  residualsSpec,
  thin
} from '../candidateCharts';

describe('chart specifications', () => {
  it('shows the most important features first, at most `top`', () => {
    const spec = featureImportanceSpec(
      [
        { feature: 'age', importance: 0.1 },
        { feature: 'duration', importance: 0.4 },
        { feature: 'bad', importance: NaN },
        { feature: 'month', importance: 0.2 }
      ],
      { feature: 'Feature', importance: 'Importance' },
      2
    ) as any;
    expect(spec.data.values).toEqual([
      { feature: 'duration', importance: 0.4 },
      { feature: 'month', importance: 0.2 }
    ]);
    expect(spec.encoding.y.sort).toBe('-x');
    expect(spec.mark.type).toBe('bar');
  });

  it('flattens a confusion matrix with row shares', () => {
    const cm = {
      labels: ['no', 'yes'],
      matrix: [
        [90, 10],
        [25, 75]
      ]
    };
    expect(confusionCells(cm)).toEqual([
      { actual: 'no', predicted: 'no', count: 90, share: 0.9 },
      { actual: 'no', predicted: 'yes', count: 10, share: 0.1 },
      { actual: 'yes', predicted: 'no', count: 25, share: 0.25 },
      { actual: 'yes', predicted: 'yes', count: 75, share: 0.75 }
    ]);
    const spec = confusionMatrixSpec(cm, {
      actual: 'Actual',
      predicted: 'Predicted',
      count: 'Rows',
      share: 'Share'
    }) as any;
    expect(spec.layer).toHaveLength(2);
    expect(spec.encoding.x.sort).toEqual(['no', 'yes']);
    // Text is white on dark cells (more than half the largest count).
    expect(spec.layer[1].encoding.color.condition.test).toBe(
      'datum.count > 45'
    );
    expect(spec.layer[1].encoding.text.format).toBe(',');
  });

  it('shows sums of weights with decimals in a weighted confusion matrix', () => {
    const cm = {
      labels: ['no', 'yes'],
      matrix: [
        [12.5, 0.25],
        [3, 7.125]
      ]
    };
    const spec = confusionMatrixSpec(
      cm,
      {
        actual: 'Actual',
        predicted: 'Predicted',
        count: 'Sum of weights',
        share: 'Share'
      },
      true
    ) as any;
    expect(spec.layer[1].encoding.text.format).toBe(',.2~f');
    expect(spec.layer[0].encoding.tooltip[2]).toMatchObject({
      title: 'Sum of weights',
      format: ',.2~f'
    });
    expect(confusionCells(cm)[0].share).toBeCloseTo(12.5 / 12.75);
  });

  it('draws ROC with the chance line and PR without', () => {
    const curve = {
      x: [0, 0.5, 1],
      y: [0, 0.8, 1],
      thresholds: [1, 0.5, 0],
      area: 0.9
    };
    const roc = curveSpec(curve, 'roc', {
      x: 'FPR',
      y: 'TPR',
      threshold: 'Threshold'
    }) as any;
    expect(roc.layer).toHaveLength(2);
    expect(roc.layer[1].data.values[1]).toEqual({
      x: 0.5,
      y: 0.8,
      threshold: 0.5
    });
    const pr = curveSpec({ ...curve, thresholds: null }, 'pr', {
      x: 'Recall',
      y: 'Precision',
      threshold: 'T'
    }) as any;
    expect(pr.layer).toHaveLength(1);
    expect(pr.layer[0].data.values[0].threshold).toBeNull();
  });

  it('plots predicted against actual with the identity line', () => {
    const spec = residualsSpec(
      { actual: [1, 2, 3], predicted: [1.5, 2, 2.5] },
      { actual: 'A', predicted: 'P' }
    ) as any;
    expect(spec.layer[0].data.values).toHaveLength(3);
    expect(spec.layer[1].data.values).toEqual([
      { actual: 1, predicted: 1 },
      { actual: 3, predicted: 3 }
    ]);
  });

  it('thins long series but keeps the last point', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const out = thin(values, 100);
    expect(out.length).toBe(101);
    expect(out[0]).toBe(0);
    expect(out[out.length - 1]).toBe(999);
    expect(thin([1, 2], 10)).toEqual([1, 2]);
  });
});
