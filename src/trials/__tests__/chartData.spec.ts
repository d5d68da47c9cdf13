import { MINIMIZED_METRICS } from '../../__tests__/fixtures';
import { setMinimizedMetrics } from '../../logic/metrics';
import {
  chartHyperparameters,
  defaultChartHyperparameter,
  defaultChartMetric,
  objectiveTimeline,
  PARALLEL_MISSING,
  parallelData,
  scatterData,
  wantsLogScale
} from '../chartData';
import { a1, a2, all, b1, b2, trial } from './trialFixtures';

// Metric direction comes from the server's health answer.
setMinimizedMetrics(MINIMIZED_METRICS);

describe('trials: chart data', () => {
  it('gives each experiment its objective over time with the best so far', () => {
    const late = trial({
      name: 'lightgbm-t003',
      experiment: 'alpha',
      objective_value: 0.82,
      ended_at: '2026-01-01T10:00:09Z'
    });
    const points = objectiveTimeline([late, a2, a1, b1, b2]);
    expect(points.map(p => [p.experiment, p.trial, p.value, p.best])).toEqual([
      ['alpha', 'lightgbm-t001', 0.8, 0.8],
      ['alpha', 'linear-t002', 0.85, 0.85],
      ['alpha', 'lightgbm-t003', 0.82, 0.85],
      ['beta', 'lightgbm-t001', 0.7, 0.7]
    ]);
    const minimised = objectiveTimeline([
      trial({
        name: 'a',
        experiment: 'reg',
        objective_goal: 'Minimize',
        objective_value: 3,
        ended_at: '2026-01-01T00:00:01Z'
      }),
      trial({
        name: 'b',
        experiment: 'reg',
        objective_goal: 'Minimize',
        objective_value: 5,
        ended_at: '2026-01-01T00:00:02Z'
      })
    ]);
    expect(minimised.map(p => p.best)).toEqual([3, 3]);
  });

  it('picks the common objective and a varying numeric hyperparameter', () => {
    expect(defaultChartMetric(all)).toBe('F1');
    expect(defaultChartMetric([b2])).toBeNull();
    expect(defaultChartHyperparameter(all, 'F1')).toBe('learning_rate');
    const ensemble = trial({
      name: 'e',
      experiment: 'alpha',
      hyperparameters: { members: { a: 1 } }
    });
    expect(chartHyperparameters([a1, a2, ensemble])).not.toContain('members');
  });

  it('plots numeric hyperparameters on a log scale when they span decades', () => {
    expect(wantsLogScale([0.001, 0.1])).toBe(true);
    expect(wantsLogScale([1, 10])).toBe(false);
    expect(wantsLogScale([0, 100])).toBe(false);
    const data = scatterData(
      all,
      'F1',
      'learning_rate',
      new Set(['beta/lightgbm-t001'])
    );
    expect(data.kind).toBe('quantitative');
    expect(data.log).toBe(true);
    expect(data.points).toEqual([
      {
        key: 'alpha/lightgbm-t001',
        experiment: 'alpha',
        trial: 'lightgbm-t001',
        algorithm: 'lightgbm',
        x: 0.1,
        y: 0.8,
        selected: false
      },
      {
        key: 'beta/lightgbm-t001',
        experiment: 'beta',
        trial: 'lightgbm-t001',
        algorithm: 'lightgbm',
        x: 0.001,
        y: 0.7,
        selected: true
      }
    ]);
  });

  it('plots non-numeric hyperparameters as ordered categories', () => {
    const mixed = [
      trial({
        name: 'a',
        experiment: 'x',
        metrics: { F1: 0.5 },
        hyperparameters: { depth: 10 }
      }),
      trial({
        name: 'b',
        experiment: 'x',
        metrics: { F1: 0.6 },
        hyperparameters: { depth: null }
      }),
      trial({
        name: 'c',
        experiment: 'x',
        metrics: { F1: 0.7 },
        hyperparameters: { depth: 2 }
      })
    ];
    const data = scatterData(mixed, 'F1', 'depth');
    expect(data.kind).toBe('nominal');
    expect(data.log).toBe(false);
    expect(data.categories).toEqual(['2', '10', 'None']);
    expect(data.points.map(p => p.x)).toEqual(['10', 'None', '2']);
  });

  it('normalises parallel coordinates per axis, the metric last', () => {
    const data = parallelData(all, 'F1', new Set(['alpha/linear-t002']));
    // Trials without F1 (the running one) are left out; hyperparameters that do
    // not vary among the plotted trials ("metric" is always "binary" or absent
    // and still varies by presence) are kept only when they differ.
    expect(data.axes.map(a => a.id)).toEqual([
      'hp:learning_rate',
      'hp:metric',
      'hp:num_leaves',
      'hp:C',
      'hp:class_weight',
      'metric:F1'
    ]);
    const lr = data.axes[0];
    expect(lr.scale).toBe('log');
    expect(lr.ticks).toEqual([
      { position: 0, text: '0.001' },
      { position: 1, text: '0.1' },
      { position: PARALLEL_MISSING, text: '–' }
    ]);
    const value = (key: string, axis: string) =>
      data.values.find(v => v.key === key && v.axis === axis)!;
    expect(value('beta/lightgbm-t001', 'hp:learning_rate').position).toBe(0);
    expect(value('alpha/lightgbm-t001', 'hp:learning_rate').position).toBe(1);
    expect(value('alpha/linear-t002', 'hp:learning_rate')).toMatchObject({
      position: PARALLEL_MISSING,
      text: '–',
      selected: true
    });
    expect(value('alpha/linear-t002', 'hp:class_weight')).toMatchObject({
      position: 0.5,
      text: 'None'
    });
    const f1 = data.axes[data.axes.length - 1];
    expect(f1).toMatchObject({ kind: 'metric', scale: 'linear' });
    expect(value('alpha/linear-t002', 'metric:F1').position).toBe(1);
    expect(value('beta/lightgbm-t001', 'metric:F1').position).toBe(0);
    expect(value('alpha/lightgbm-t001', 'metric:F1').position).toBeCloseTo(
      2 / 3
    );
    expect(value('alpha/lightgbm-t001', 'metric:F1').index).toBe(5);
    expect(data.hasMissing).toBe(true);
    expect(new Set(data.values.map(v => v.key)).size).toBe(3);
  });

  it('limits the axes and handles a single trial', () => {
    expect(parallelData(all, 'F1', new Set(), 2).axes).toHaveLength(3);
    const single = parallelData([a1], 'F1');
    expect(single.axes.map(a => a.id)).toEqual(['metric:F1']);
    expect(single.values[0].position).toBe(0.5);
    expect(single.hasMissing).toBe(false);
    expect(parallelData([b2], 'F1').values).toEqual([]);
  });
});
