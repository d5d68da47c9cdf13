/**
 * One drift report: its summary, per-feature drift with charts, and the
 * constraint violations.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { FeatureDrift, MonitoringReport } from '../api/types';
import { VegaChart } from '../common/charts/VegaChart';
import { RowSelectButton, useTrans } from '../common/components';
import { formatCount } from '../format';
import { histogramSpec, psiSpec } from './chartSpecs';
import {
  driftStatusLabel,
  formatMissing,
  formatPsi,
  formatStatistic,
  formatViolation,
  sortFeatures,
  sortViolations
} from './drift';
import { DriftStatusChip } from './parts';

function statusLabels(trans: TranslationBundle): Record<string, string> {
  return {
    ok: driftStatusLabel('ok', trans),
    warning: driftStatusLabel('warning', trans),
    drift: driftStatusLabel('drift', trans),
    insufficient_data: driftStatusLabel('insufficient_data', trans)
  };
}

/** A drift report's content: summary, features, prediction drift, violations. */
export function ReportBody(props: {
  report: MonitoringReport;
  backend: string;
  idPrefix: string;
}): JSX.Element {
  const trans = useTrans();
  const { report } = props;
  const features = React.useMemo(() => sortFeatures(report.features), [report]);
  const [feature, setFeature] = React.useState<string | null>(
    () => features.find(f => f.histogram)?.feature ?? null
  );
  const chosen = features.find(f => f.feature === feature) ?? null;
  const violations = React.useMemo(
    () => sortViolations(report.constraint_violations ?? []),
    [report]
  );
  const chartError = trans.__('The chart could not be drawn.');
  const psi = React.useMemo(
    () =>
      features.some(f => typeof f.distance === 'number')
        ? psiSpec(
            features,
            {
              feature: trans.__('Feature'),
              psi: trans.__('PSI'),
              status: trans.__('Status'),
              warning: trans.__('Moderate shift above 0.1'),
              drift: trans.__('Drift above 0.25')
            },
            statusLabels(trans)
          )
        : null,
    [features, trans]
  );
  const histogramTexts = React.useMemo(
    () => ({
      share: trans.__('Share of values'),
      baseline: trans.__('Training data (baseline)'),
      current: trans.__('Captured'),
      series: trans.__('Data')
    }),
    [trans]
  );
  const histogram = React.useMemo(
    () =>
      chosen?.histogram
        ? histogramSpec(chosen.histogram, {
            ...histogramTexts,
            bin: chosen.kind === 'numeric' ? trans.__('Range') : chosen.feature
          })
        : null,
    [chosen, histogramTexts, trans]
  );
  const prediction = React.useMemo(
    () =>
      report.prediction?.histogram
        ? histogramSpec(report.prediction.histogram, {
            ...histogramTexts,
            share: trans.__('Share of predictions'),
            bin:
              report.prediction.kind === 'label'
                ? trans.__('Predicted label')
                : trans.__('Predicted value')
          })
        : null,
    [report, histogramTexts, trans]
  );
  const withPsi = features.filter(f => typeof f.distance === 'number').length;
  return (
    <>
      <div className="jp-Autopilot-charts">
        {psi && (
          <div className="jp-Autopilot-chartBox">
            <h5>{trans.__('Population stability index per feature')}</h5>
            <VegaChart
              spec={psi}
              label={trans.__(
                'Population stability index of each feature, with the 0.1 and 0.25 thresholds'
              )}
              minHeight={withPsi * 20 + 70}
              errorText={chartError}
            />
          </div>
        )}
        <div className="jp-Autopilot-chartBox">
          <h5>
            {trans.__('Predictions')}{' '}
            {report.prediction && (
              <>
                <DriftStatusChip status={report.prediction.status} />{' '}
                <span className="jp-Autopilot-muted">
                  {trans.__('PSI %1', formatPsi(report.prediction.distance))}
                </span>
              </>
            )}
          </h5>
          {prediction ? (
            <VegaChart
              spec={prediction}
              label={trans.__(
                'Share of each prediction in the training data and in the captured requests'
              )}
              minHeight={260}
              errorText={chartError}
            />
          ) : (
            <p className="jp-Autopilot-muted">
              {props.backend === 'sagemaker'
                ? trans.__(
                    'Prediction drift is not computed for SageMaker endpoints: there is no model on this server to predict the training data’s labels for the baseline. Feature drift and the constraints are checked.'
                  )
                : trans.__('No predictions were captured in this window.')}
            </p>
          )}
        </div>
      </div>
      <FeaturesTable
        features={features}
        selected={chosen?.feature ?? null}
        onSelect={setFeature}
      />
      <div
        className="jp-Autopilot-chartBox jp-AutopilotMonitoring-histogram"
        aria-live="polite"
      >
        {chosen ? (
          <>
            <h5>
              {trans.__('Distribution of %1', chosen.feature)}{' '}
              <DriftStatusChip status={chosen.status} />{' '}
              <span className="jp-Autopilot-muted">
                {trans.__('PSI %1', formatPsi(chosen.distance))} ·{' '}
                {formatStatistic(chosen, trans)}
              </span>
            </h5>
            {histogram ? (
              <VegaChart
                spec={histogram}
                label={trans.__(
                  'Share of %1 values per bin in the training data and in the captured requests',
                  chosen.feature
                )}
                minHeight={260}
                errorText={chartError}
              />
            ) : (
              <p className="jp-Autopilot-muted">
                {trans.__(
                  'No distribution for this feature (free text, or no values captured).'
                )}
              </p>
            )}
          </>
        ) : (
          <p className="jp-Autopilot-muted">
            {trans.__('Choose a feature to see its distribution.')}
          </p>
        )}
      </div>
      <Violations violations={violations} />
    </>
  );
}

function FeaturesTable(props: {
  features: FeatureDrift[];
  selected: string | null;
  onSelect: (feature: string) => void;
}): JSX.Element {
  const trans = useTrans();
  return (
    <div className="jp-Autopilot-tableScroll jp-AutopilotMonitoring-features">
      <table
        className="jp-Autopilot-table"
        aria-label={trans.__('Feature drift')}
      >
        <thead>
          <tr>
            <th scope="col">{trans.__('Feature')}</th>
            <th scope="col">{trans.__('Type')}</th>
            <th scope="col">{trans.__('Status')}</th>
            <th
              scope="col"
              className="jp-mod-numeric"
              title={trans.__(
                'Population stability index: below 0.1 stable, 0.1 to 0.25 moderate shift, above 0.25 drift'
              )}
            >
              {trans.__('PSI')}
            </th>
            <th
              scope="col"
              className="jp-mod-numeric"
              title={trans.__(
                'Kolmogorov-Smirnov statistic (numeric) or Jensen-Shannon distance (categories)'
              )}
            >
              {trans.__('KS / JS')}
            </th>
            <th scope="col" className="jp-mod-numeric">
              {trans.__('Missing (baseline → captured)')}
            </th>
            <th scope="col" className="jp-mod-numeric">
              {trans.__('Values')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.features.map(f => {
            const selected = f.feature === props.selected;
            return (
              <tr
                key={f.feature}
                className={selected ? 'jp-mod-selected' : undefined}
                aria-selected={selected}
                data-feature={f.feature}
                data-status={f.status}
                onClick={() => props.onSelect(f.feature)}
              >
                <th scope="row">
                  <RowSelectButton
                    selected={selected}
                    title={trans.__('Show the distribution of %1', f.feature)}
                    onSelect={() => props.onSelect(f.feature)}
                  >
                    {f.feature}
                  </RowSelectButton>
                </th>
                <td>
                  <span className="jp-Autopilot-typeTag">{f.kind}</span>
                </td>
                <td>
                  <DriftStatusChip status={f.status} />
                </td>
                <td className="jp-mod-numeric">{formatPsi(f.distance)}</td>
                <td className="jp-mod-numeric">{formatStatistic(f, trans)}</td>
                <td className="jp-mod-numeric">{formatMissing(f)}</td>
                <td className="jp-mod-numeric">
                  {formatCount(f.current_count)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A report's constraint violations. */
export function Violations(props: {
  violations: ReturnType<typeof sortViolations>;
}): JSX.Element {
  const trans = useTrans();
  return (
    <div className="jp-AutopilotMonitoring-violations">
      <h5>{trans.__('Constraint violations')}</h5>
      {props.violations.length === 0 ? (
        <p className="jp-Autopilot-muted">
          {trans.__('The captured data meets every constraint.')}
        </p>
      ) : (
        <ul aria-label={trans.__('Constraint violations')}>
          {props.violations.map((v, i) => {
            const text = formatViolation(v, trans);
            return (
              <li
                key={`${v.feature}:${v.check}:${i}`}
                data-check={v.check}
                data-feature={v.feature ?? ''}
              >
                <strong>{text.title}</strong>
                <span>{text.message}</span>
                <span className="jp-Autopilot-muted">{text.figures}</span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
