import { PARALLEL_MISSING } from '../chartData';
import {
  EXPERIMENT_COLORS,
  experimentColor,
  metricScatterSpec,
  objectiveOverTimeSpec,
  parallelCoordinatesSpec
} from '../chartSpecs';

const experiments = ['alpha', 'beta'];

describe('trials chart specifications', () => {
  it("keeps an experiment's colour while others are filtered out", () => {
    const all = ['alpha', 'beta', 'gamma'];
    expect(experimentColor(all, ['gamma', 'beta', 'gamma'], 'E')).toEqual({
      field: 'experiment',
      type: 'nominal',
      title: 'E',
      scale: {
        domain: ['beta', 'gamma'],
        range: [EXPERIMENT_COLORS[1], EXPERIMENT_COLORS[2]]
      },
      legend: {
        orient: 'bottom',
        direction: 'horizontal',
        labelLimit: 240,
        symbolOpacity: 1
      }
    });
    // An experiment not (yet) in the list still gets a colour of its own.
    const late = experimentColor(['alpha'], ['zeta', 'alpha'], 'E') as any;
    expect(late.scale.domain).toEqual(['alpha', 'zeta']);
    expect(late.scale.range).toEqual([
      EXPERIMENT_COLORS[0],
      EXPERIMENT_COLORS[2]
    ]);
    // More experiments than colours: the palette repeats.
    const many = Array.from({ length: 12 }, (_, i) => `e${i}`);
    expect((experimentColor(many, ['e11'], 'E') as any).scale.range).toEqual([
      EXPERIMENT_COLORS[1]
    ]);
  });

  it('draws the objective over time with a best-so-far line per experiment', () => {
    const spec = objectiveOverTimeSpec(
      [
        {
          key: 'alpha/t1',
          experiment: 'alpha',
          trial: 't1',
          metric: 'F1',
          time: '2026-01-01T10:00:05Z',
          value: 0.8,
          best: 0.8
        },
        {
          key: 'beta/t1',
          experiment: 'beta',
          trial: 't1',
          metric: 'F1',
          time: '2026-01-01T10:00:07Z',
          value: 0.7,
          best: 0.7
        }
      ],
      {
        time: 'Ended',
        objective: 'Objective',
        bestSoFar: 'Best so far',
        experiment: 'Experiment',
        trial: 'Trial',
        metric: 'Metric'
      },
      experiments,
      new Set(['beta/t1'])
    ) as any;
    expect(spec.$schema).toContain('vega-lite/v6');
    expect(spec.width).toBe('container');
    expect(spec.data.values.map((v: any) => v.selected)).toEqual([false, true]);
    const [line, points] = spec.layer;
    expect(line.mark).toMatchObject({
      type: 'line',
      interpolate: 'step-after'
    });
    expect(line.encoding.y.field).toBe('best');
    expect(line.encoding.x).toMatchObject({ field: 'time', type: 'temporal' });
    expect(line.encoding.detail.field).toBe('experiment');
    expect(points.mark.type).toBe('point');
    expect(points.encoding.y.field).toBe('value');
    // Both layers colour by experiment with the shared domain.
    for (const layer of spec.layer) {
      expect(layer.encoding.color).toMatchObject({
        field: 'experiment',
        scale: { domain: experiments }
      });
    }
    expect(points.encoding.size.condition.test).toBe('datum.selected');
    expect(points.encoding.tooltip.map((t: any) => t.field)).toEqual([
      'experiment',
      'trial',
      'metric',
      'value',
      'best',
      'time'
    ]);
  });

  const texts = {
    metric: 'F1',
    hyperparameter: 'learning_rate',
    experiment: 'Experiment',
    trial: 'Trial',
    algorithm: 'Algorithm'
  };

  it('plots a metric against a numeric hyperparameter (log scale when asked)', () => {
    const points = [
      {
        key: 'alpha/t1',
        experiment: 'alpha',
        trial: 't1',
        algorithm: 'lightgbm',
        x: 0.001,
        y: 0.7,
        selected: false
      }
    ];
    const log = metricScatterSpec(
      { points, kind: 'quantitative', log: true, categories: [] },
      texts,
      experiments
    ) as any;
    expect(log.mark.type).toBe('point');
    expect(log.data.values).toEqual(points);
    expect(log.encoding.x).toMatchObject({
      field: 'x',
      type: 'quantitative',
      title: 'learning_rate',
      scale: { type: 'log' }
    });
    expect(log.encoding.y).toMatchObject({ field: 'y', title: 'F1' });
    // Only the experiment drawn is in the legend, with its own colour.
    expect(log.encoding.color.scale).toEqual({
      domain: ['alpha'],
      range: [EXPERIMENT_COLORS[0]]
    });
    const linear = metricScatterSpec(
      { points, kind: 'quantitative', log: false, categories: [] },
      texts,
      experiments
    ) as any;
    expect(linear.encoding.x.scale.type).toBeUndefined();
  });

  it('plots categories of a non-numeric hyperparameter in their order', () => {
    const spec = metricScatterSpec(
      {
        points: [
          {
            key: 'a/t',
            experiment: 'alpha',
            trial: 't',
            algorithm: 'linear',
            x: 'None',
            y: 0.5,
            selected: true
          }
        ],
        kind: 'nominal',
        log: false,
        categories: ['2', '10', 'None']
      },
      { ...texts, hyperparameter: 'depth' },
      experiments
    ) as any;
    expect(spec.encoding.x).toMatchObject({
      type: 'nominal',
      sort: ['2', '10', 'None']
    });
    expect(spec.encoding.tooltip.find((t: any) => t.field === 'x').type).toBe(
      'nominal'
    );
  });

  it('draws parallel coordinates with axes, lines, points and tick labels', () => {
    const data = {
      axes: [
        {
          id: 'hp:learning_rate',
          label: 'learning_rate',
          kind: 'hyperparameter' as const,
          scale: 'log' as const,
          ticks: [
            { position: 0, text: '0.001' },
            { position: 1, text: '0.1' },
            { position: PARALLEL_MISSING, text: '–' }
          ]
        },
        {
          id: 'metric:F1',
          label: 'F1',
          kind: 'metric' as const,
          scale: 'linear' as const,
          ticks: [
            { position: 0, text: '0.7' },
            { position: 1, text: '0.8' }
          ]
        }
      ],
      values: [
        {
          key: 'alpha/t1',
          experiment: 'alpha',
          trial: 't1',
          axis: 'hp:learning_rate',
          index: 0,
          position: 1,
          text: '0.1',
          selected: true
        },
        {
          key: 'alpha/t1',
          experiment: 'alpha',
          trial: 't1',
          axis: 'metric:F1',
          index: 1,
          position: 1,
          text: '0.8000',
          selected: true
        },
        {
          key: 'beta/t1',
          experiment: 'beta',
          trial: 't1',
          axis: 'hp:learning_rate',
          index: 0,
          position: PARALLEL_MISSING,
          text: '–',
          selected: false
        },
        {
          key: 'beta/t1',
          experiment: 'beta',
          trial: 't1',
          axis: 'metric:F1',
          index: 1,
          position: 0,
          text: '0.7000',
          selected: false
        }
      ],
      hasMissing: true
    };
    const spec = parallelCoordinatesSpec(
      data,
      {
        experiment: 'Experiment',
        trial: 'Trial',
        axis: 'Axis',
        value: 'Value'
      },
      experiments
    ) as any;
    const [rules, faded, highlighted, points, labels] = spec.layer;
    expect(rules.mark.type).toBe('rule');
    expect(rules.data.values).toHaveLength(2);
    // Unselected lines fade when some are selected; selected ones are drawn last.
    expect(faded.mark).toMatchObject({ type: 'line', opacity: 0.2 });
    expect(faded.data.values.every((v: any) => !v.selected)).toBe(true);
    expect(highlighted.mark).toMatchObject({ type: 'line', strokeWidth: 3 });
    expect(highlighted.data.values.map((v: any) => v.key)).toEqual([
      'alpha/t1',
      'alpha/t1'
    ]);
    expect(highlighted.encoding.detail.field).toBe('key');
    expect(highlighted.encoding.order.field).toBe('index');
    // Axis names are looked up by position.
    expect(faded.encoding.x.axis.labelExpr).toBe(
      '["learning_rate","F1"][datum.value]'
    );
    expect(faded.encoding.x.axis.values).toEqual([0, 1]);
    // Missing values sit below the axis, inside the y domain.
    expect(faded.encoding.y.scale.domain[0]).toBeLessThan(PARALLEL_MISSING);
    expect(points.encoding.tooltip.map((t: any) => t.field)).toEqual([
      'experiment',
      'trial',
      'axisLabel',
      'text'
    ]);
    expect(points.data.values[0].axisLabel).toBe('learning_rate');
    expect(labels.mark.type).toBe('text');
    expect(labels.data.values).toHaveLength(5);
    expect(labels.data.values[2]).toEqual({
      index: 0,
      position: PARALLEL_MISSING,
      text: '–'
    });
  });

  it('does not fade lines when nothing is selected', () => {
    const spec = parallelCoordinatesSpec(
      {
        axes: [
          {
            id: 'metric:F1',
            label: 'F1',
            kind: 'metric',
            scale: 'linear',
            ticks: [{ position: 0.5, text: '0.8' }]
          }
        ],
        values: [
          {
            key: 'a/t',
            experiment: 'alpha',
            trial: 't',
            axis: 'metric:F1',
            index: 0,
            position: 0.5,
            text: '0.8000',
            selected: false
          }
        ],
        hasMissing: false
      },
      { experiment: 'E', trial: 'T', axis: 'A', value: 'V' },
      experiments
    ) as any;
    expect(spec.layer[1].mark.opacity).toBe(0.7);
    expect(spec.layer[3].encoding.opacity).toEqual({ value: 0.8 });
    // One axis: the x domain still spans a non-empty range.
    expect(spec.layer[1].encoding.x.scale.domain).toEqual([0, 1]);
  });
});
