/**
 * The trials view's three charts over the listed trials, coloured by experiment:
 * objective over time, a metric against a hyperparameter, parallel coordinates.
 */
import { HTMLSelect } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Trial } from '../api/types';
import { VegaChart } from '../common/charts/VegaChart';
import { Section, useTrans } from '../common/components';
import { useStable } from '../common/hooks';
import {
  chartHyperparameters,
  defaultChartHyperparameter,
  defaultChartMetric,
  objectiveTimeline,
  parallelData,
  scatterData
} from './chartData';
import {
  metricScatterSpec,
  objectiveOverTimeSpec,
  parallelCoordinatesSpec
} from './chartSpecs';
import { metricValue } from './columns';
import { trialNames } from './loading';

/** The three charts over the listed trials, coloured by experiment. */
export function TrialCharts(props: {
  trials: Trial[];
  experiments: string[];
  selected: ReadonlySet<string>;
}): JSX.Element {
  const trans = useTrans();
  const { trials, experiments, selected } = props;
  const [metricChoice, setMetricChoice] = React.useState<string | null>(null);
  const [hpChoice, setHpChoice] = React.useState<string | null>(null);
  const metrics = React.useMemo(
    () => trialNames(trials).metric_names,
    [trials]
  );
  const metric =
    metricChoice && metrics.includes(metricChoice)
      ? metricChoice
      : defaultChartMetric(trials);
  const hyperparameters = React.useMemo(
    () =>
      chartHyperparameters(
        metric ? trials.filter(t => metricValue(t, metric) !== null) : trials
      ),
    [trials, metric]
  );
  const hyperparameter =
    hpChoice && hyperparameters.includes(hpChoice)
      ? hpChoice
      : defaultChartHyperparameter(trials, metric);

  const timeline = useStable(
    React.useMemo(
      () =>
        objectiveOverTimeSpec(
          objectiveTimeline(trials),
          {
            time: trans.__('Trial ended'),
            objective: trans.__('Objective value'),
            bestSoFar: trans.__('Best so far'),
            experiment: trans.__('Experiment'),
            trial: trans.__('Trial'),
            metric: trans.__('Objective metric')
          },
          experiments,
          selected
        ),
      [trials, experiments, selected, trans]
    )
  );
  const scatter = useStable(
    React.useMemo(
      () =>
        metric && hyperparameter
          ? metricScatterSpec(
              scatterData(trials, metric, hyperparameter, selected),
              {
                metric,
                hyperparameter,
                experiment: trans.__('Experiment'),
                trial: trans.__('Trial'),
                algorithm: trans.__('Algorithm')
              },
              experiments
            )
          : null,
      [trials, metric, hyperparameter, experiments, selected, trans]
    )
  );
  const parallelValues = React.useMemo(
    () => (metric ? parallelData(trials, metric, selected) : null),
    [trials, metric, selected]
  );
  const parallel = useStable(
    React.useMemo(
      () =>
        parallelValues
          ? parallelCoordinatesSpec(
              parallelValues,
              {
                experiment: trans.__('Experiment'),
                trial: trans.__('Trial'),
                axis: trans.__('Axis'),
                value: trans.__('Value')
              },
              experiments
            )
          : null,
      [parallelValues, experiments, trans]
    )
  );
  const timelineCount = (timeline as any).data?.values?.length ?? 0;
  const scatterCount = (scatter as any)?.data?.values?.length ?? 0;
  const parallelCount = parallelValues
    ? new Set(parallelValues.values.map(v => v.key)).size
    : 0;
  const chartError = trans.__('The chart could not be drawn:');

  return (
    <Section
      title={trans.__('Charts')}
      id="jp-autopilot-trials-charts"
      actions={
        metrics.length > 0 ? (
          <label className="jp-AutopilotTrials-chartPick">
            {trans.__('Metric')}
            <HTMLSelect
              aria-label={trans.__('Chart metric')}
              value={metric ?? ''}
              onChange={e => setMetricChoice(e.target.value)}
              options={metrics.map(m => ({ value: m, label: m }))}
            />
          </label>
        ) : undefined
      }
    >
      <div className="jp-Autopilot-charts jp-AutopilotTrials-charts">
        <div className="jp-Autopilot-chartBox" data-chart="objective-over-time">
          <h5>{trans.__('Objective over time')}</h5>
          {timelineCount > 0 ? (
            <VegaChart
              spec={timeline}
              label={trans.__(
                'Objective value of each finished trial by end time, per experiment, with the best so far'
              )}
              minHeight={300}
              errorText={chartError}
            />
          ) : (
            <ChartPlaceholder
              text={trans.__('No finished trial has an objective value yet.')}
            />
          )}
        </div>
        <div className="jp-Autopilot-chartBox" data-chart="metric-scatter">
          <div className="jp-AutopilotTrials-chartHead">
            <h5>
              {metric && hyperparameter
                ? trans.__('%1 by %2', metric, hyperparameter)
                : trans.__('Metric by hyperparameter')}
            </h5>
            {hyperparameters.length > 0 && (
              <label className="jp-AutopilotTrials-chartPick">
                {trans.__('Hyperparameter')}
                <HTMLSelect
                  aria-label={trans.__('Chart hyperparameter')}
                  value={hyperparameter ?? ''}
                  onChange={e => setHpChoice(e.target.value)}
                  options={hyperparameters.map(h => ({ value: h, label: h }))}
                />
              </label>
            )}
          </div>
          {scatter && scatterCount > 0 ? (
            <VegaChart
              spec={scatter}
              label={trans.__(
                '%1 of each trial against its %2',
                metric ?? '',
                hyperparameter ?? ''
              )}
              minHeight={300}
              errorText={chartError}
            />
          ) : (
            <ChartPlaceholder
              text={trans.__(
                'No trial has both a metric value and this hyperparameter yet.'
              )}
            />
          )}
        </div>
        <div
          className="jp-Autopilot-chartBox jp-mod-wide"
          data-chart="parallel-coordinates"
        >
          <h5>
            {trans.__('Hyperparameters and %1 (parallel coordinates)', metric)}
          </h5>
          {parallel && parallelCount > 0 ? (
            <>
              <VegaChart
                spec={parallel}
                label={trans.__(
                  'One line per trial through its hyperparameters and %1; selected trials highlighted',
                  metric ?? ''
                )}
                minHeight={320}
                errorText={chartError}
              />
              <p className="jp-Autopilot-muted jp-AutopilotTrials-chartNote">
                {parallelValues?.hasMissing
                  ? trans.__(
                      'Each axis runs from its smallest value (bottom) to its largest (top); "–" below an axis: trials whose algorithm does not have that hyperparameter. Tick trials in the table to highlight them.'
                    )
                  : trans.__(
                      'Each axis runs from its smallest value (bottom) to its largest (top). Tick trials in the table to highlight them.'
                    )}
              </p>
            </>
          ) : (
            <ChartPlaceholder
              text={trans.__('No trial has a value of this metric yet.')}
            />
          )}
        </div>
      </div>
    </Section>
  );
}

function ChartPlaceholder(props: { text: string }): JSX.Element {
  return (
    <p className="jp-Autopilot-muted jp-AutopilotTrials-chartEmpty">
      {props.text}
    </p>
  );
}
