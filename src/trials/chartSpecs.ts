/**
 * Vega-Lite specifications of the "Experiments and trials" charts, built from the
 * data prepared in `chartData.ts`.
 *
 * Pure functions (unit-tested); the theme (colours, fonts) is applied by
 * `VegaChart` from JupyterLab's CSS variables at render time. Every chart colours
 * trials by experiment with the same `experiments` domain, so an experiment keeps
 * its colour from one chart to the next.
 */
import type { VisualizationSpec } from 'vega-embed';
import {
  IObjectivePoint,
  IParallelData,
  IScatterData,
  PARALLEL_MISSING
} from './chartData';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Vega's "tableau10" colours: readable on light and dark backgrounds. */
export const EXPERIMENT_COLORS = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac'
];

/**
 * The experiment colour channel shared by the charts: each experiment gets the
 * colour of its position among all `experiments` (stable while filtering), and
 * the legend lists only the experiments drawn (`shown`).
 */
export function experimentColor(
  experiments: readonly string[],
  shown: Iterable<string>,
  title: string
): Record<string, unknown> {
  const present = new Set(shown);
  const domain = experiments.filter(e => present.has(e));
  // Experiments missing from the list (a race with a refresh) still get a colour.
  for (const name of present) {
    if (!domain.includes(name)) {
      domain.push(name);
    }
  }
  const index = (name: string) => {
    const i = experiments.indexOf(name);
    return i >= 0 ? i : experiments.length + domain.indexOf(name);
  };
  return {
    field: 'experiment',
    type: 'nominal',
    title,
    scale: {
      domain,
      range: domain.map(
        name => EXPERIMENT_COLORS[index(name) % EXPERIMENT_COLORS.length]
      )
    },
    // Full-strength swatches even when the lines they stand for are faded.
    legend: {
      orient: 'bottom',
      direction: 'horizontal',
      labelLimit: 240,
      symbolOpacity: 1
    }
  };
}

/**
 * Objective over time: one point per finished trial (x = when it ended, y = its
 * objective value), coloured by experiment, with each experiment's best value so
 * far as a step line. Points of `selected` trials are larger and outlined.
 */
export function objectiveOverTimeSpec(
  points: readonly IObjectivePoint[],
  texts: {
    time: string;
    objective: string;
    bestSoFar: string;
    experiment: string;
    trial: string;
    metric: string;
  },
  experiments: readonly string[],
  selected: ReadonlySet<string> = new Set()
): VisualizationSpec {
  const values = points.map(p => ({ ...p, selected: selected.has(p.key) }));
  const color = experimentColor(
    experiments,
    points.map(p => p.experiment),
    texts.experiment
  );
  const x = {
    field: 'time',
    type: 'temporal',
    title: texts.time,
    axis: { labelOverlap: true }
  };
  return {
    $schema: SCHEMA,
    width: 'container',
    height: 240,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    layer: [
      {
        mark: {
          type: 'line',
          interpolate: 'step-after',
          strokeWidth: 1.5,
          opacity: 0.8
        },
        encoding: {
          x,
          y: {
            field: 'best',
            type: 'quantitative',
            title: texts.objective,
            scale: { zero: false }
          },
          color,
          detail: { field: 'experiment', type: 'nominal' }
        }
      },
      {
        mark: { type: 'point', filled: true, tooltip: true },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', scale: { zero: false } },
          color,
          size: {
            condition: { test: 'datum.selected', value: 140 },
            value: 50
          },
          strokeWidth: {
            condition: { test: 'datum.selected', value: 2 },
            value: 0
          },
          tooltip: [
            { field: 'experiment', type: 'nominal', title: texts.experiment },
            { field: 'trial', type: 'nominal', title: texts.trial },
            { field: 'metric', type: 'nominal', title: texts.metric },
            {
              field: 'value',
              type: 'quantitative',
              title: texts.objective,
              format: '.4f'
            },
            {
              field: 'best',
              type: 'quantitative',
              title: texts.bestSoFar,
              format: '.4f'
            },
            {
              field: 'time',
              type: 'temporal',
              title: texts.time,
              format: '%Y-%m-%d %H:%M:%S'
            }
          ]
        }
      }
    ]
  } as unknown as VisualizationSpec;
}

/**
 * A metric against a hyperparameter, one point per trial coloured by experiment:
 * a numeric hyperparameter on a linear or log axis, others as categories.
 */
export function metricScatterSpec(
  data: IScatterData,
  texts: {
    metric: string;
    hyperparameter: string;
    experiment: string;
    trial: string;
    algorithm: string;
  },
  experiments: readonly string[]
): VisualizationSpec {
  const x =
    data.kind === 'quantitative'
      ? {
          field: 'x',
          type: 'quantitative',
          title: texts.hyperparameter,
          scale: data.log ? { type: 'log' } : { zero: false, nice: true }
        }
      : {
          field: 'x',
          type: 'nominal',
          title: texts.hyperparameter,
          sort: data.categories,
          axis: { labelAngle: -30, labelLimit: 120 }
        };
  return {
    $schema: SCHEMA,
    width: 'container',
    height: 240,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values: data.points },
    mark: { type: 'point', filled: true, tooltip: true },
    encoding: {
      x,
      y: {
        field: 'y',
        type: 'quantitative',
        title: texts.metric,
        scale: { zero: false }
      },
      color: experimentColor(
        experiments,
        data.points.map(p => p.experiment),
        texts.experiment
      ),
      size: {
        condition: { test: 'datum.selected', value: 140 },
        value: 60
      },
      strokeWidth: {
        condition: { test: 'datum.selected', value: 2 },
        value: 0
      },
      tooltip: [
        { field: 'experiment', type: 'nominal', title: texts.experiment },
        { field: 'trial', type: 'nominal', title: texts.trial },
        { field: 'algorithm', type: 'nominal', title: texts.algorithm },
        {
          field: 'x',
          type: data.kind,
          title: texts.hyperparameter
        },
        { field: 'y', type: 'quantitative', title: texts.metric, format: '.4f' }
      ]
    }
  } as unknown as VisualizationSpec;
}

/**
 * Parallel coordinates: one vertical axis per hyperparameter and the metric
 * last, one line per trial coloured by experiment. When trials are selected
 * they are drawn on top, thicker, and the others fade.
 */
export function parallelCoordinatesSpec(
  data: IParallelData,
  texts: { experiment: string; trial: string; axis: string; value: string },
  experiments: readonly string[]
): VisualizationSpec {
  const labels = data.axes.map(a => a.label);
  const last = Math.max(0, labels.length - 1);
  const anySelected = data.values.some(v => v.selected);
  const color = experimentColor(
    experiments,
    data.values.map(v => v.experiment),
    texts.experiment
  );
  const x = {
    field: 'index',
    type: 'quantitative',
    title: null,
    scale: { domain: [0, last || 1], nice: false, zero: false, padding: 28 },
    axis: {
      values: labels.map((_, i) => i),
      // The axis names, looked up by position (names may repeat across kinds).
      labelExpr: `${JSON.stringify(labels)}[datum.value]`,
      labelAngle: 0,
      labelLimit: 110,
      labelOverlap: false,
      labelFontWeight: 600,
      grid: false,
      domain: false,
      ticks: false,
      orient: 'bottom'
    }
  };
  const y = {
    field: 'position',
    type: 'quantitative',
    axis: null,
    scale: { domain: [PARALLEL_MISSING - 0.04, 1.02], nice: false, zero: false }
  };
  const values = data.values.map(v => ({
    ...v,
    axisLabel: labels[v.index] ?? ''
  }));
  const lines = (selected: boolean) => ({
    data: { values: values.filter(v => v.selected === selected) },
    mark: {
      type: 'line',
      strokeWidth: selected ? 3 : 1.5,
      opacity: selected ? 1 : anySelected ? 0.2 : 0.7
    },
    encoding: {
      x,
      y,
      color,
      detail: { field: 'key', type: 'nominal' },
      order: { field: 'index', type: 'quantitative' }
    }
  });
  const ticks = data.axes.flatMap((axis, index) =>
    axis.ticks.map(t => ({ index, position: t.position, text: t.text }))
  );
  return {
    $schema: SCHEMA,
    width: 'container',
    height: 260,
    autosize: { type: 'fit-x', contains: 'padding' },
    layer: [
      {
        data: {
          values: labels.map((_, index) => ({ index, from: 0, to: 1 }))
        },
        mark: { type: 'rule', opacity: 0.5 },
        encoding: {
          x,
          y: { ...y, field: 'from' },
          y2: { field: 'to' }
        }
      },
      lines(false),
      lines(true),
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 18, tooltip: true },
        encoding: {
          x,
          y,
          color,
          opacity: anySelected
            ? { condition: { test: 'datum.selected', value: 1 }, value: 0.25 }
            : { value: 0.8 },
          tooltip: [
            { field: 'experiment', type: 'nominal', title: texts.experiment },
            { field: 'trial', type: 'nominal', title: texts.trial },
            { field: 'axisLabel', type: 'nominal', title: texts.axis },
            { field: 'text', type: 'nominal', title: texts.value }
          ]
        }
      },
      {
        data: { values: ticks },
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'middle',
          dx: 5,
          fontSize: 10,
          limit: 90
        },
        encoding: {
          x,
          y: { ...y, field: 'position' },
          text: { field: 'text', type: 'nominal' }
        }
      }
    ]
  } as unknown as VisualizationSpec;
}
