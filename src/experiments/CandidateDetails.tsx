/**
 * The selected candidate's details: metrics, feature importance, model insights
 * (confusion matrix, ROC and precision-recall curves, residuals), training
 * curves, and its export and deploy actions.
 */
import { Button, downloadIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { CandidateDetail, ModelExport } from '../api/types';
import { VegaChart } from '../common/charts/VegaChart';
import {
  ButtonIcon,
  ErrorMessage,
  KeyValues,
  ProgressBar,
  Spinner,
  StatusBadge,
  useTrans
} from '../common/components';
import { formatDuration, formatMetric, formatValue } from '../format';
import {
  confusionMatrixSpec,
  curveSpec,
  featureImportanceSpec,
  residualsSpec
} from './candidateCharts';
import { ExportResult, IExportState } from './CandidateExport';
import { TrainingInsight } from './TrainingInsight';

/**
 * One candidate: its scores, hyperparameters, feature importance and model
 * insights (confusion matrix, ROC and precision-recall curves, or residuals).
 */
export function CandidateDetails(props: {
  candidate: CandidateDetail;
  onDeploy?: () => void;
  deployDisabledReason?: string | null;
  /** Export the candidate for SageMaker (backends that export; local). */
  onExport?: () => Promise<ModelExport>;
  /** Show a file under the root in the file browser. */
  onRevealPath?: (path: string) => void;
  /** Whether models keep their best iteration (see TrainingInsight; default true). */
  keepsBestIteration?: boolean;
}): JSX.Element {
  const trans = useTrans();
  const c = props.candidate;
  // Per candidate, so that switching candidates keeps each one's export.
  const [exports, setExports] = React.useState<Record<string, IExportState>>(
    {}
  );
  const exported = exports[c.name];
  const runExport = async () => {
    if (!props.onExport) {
      return;
    }
    const name = c.name;
    setExports(x => ({
      ...x,
      [name]: { busy: true, result: null, error: null }
    }));
    try {
      const result = await props.onExport();
      setExports(x => ({ ...x, [name]: { busy: false, result, error: null } }));
    } catch (error) {
      setExports(x => ({ ...x, [name]: { busy: false, result: null, error } }));
    }
  };
  const dismissExport = () =>
    setExports(x => {
      const next = { ...x };
      delete next[c.name];
      return next;
    });
  const insights = c.insights;
  const chartError = trans.__('The chart could not be drawn:');

  const importance = React.useMemo(
    () =>
      c.feature_importance?.length
        ? featureImportanceSpec(c.feature_importance, {
            feature: trans.__('Feature'),
            importance: trans.__('Importance')
          })
        : null,
    [c, trans]
  );
  const confusion = React.useMemo(
    () =>
      insights?.confusion_matrix
        ? confusionMatrixSpec(
            insights.confusion_matrix,
            {
              actual: trans.__('Actual'),
              predicted: trans.__('Predicted'),
              count: insights.weighted
                ? trans.__('Sum of weights')
                : trans.__('Rows'),
              share: trans.__('Share of actual')
            },
            insights.weighted
          )
        : null,
    [insights?.confusion_matrix, insights?.weighted, trans]
  );
  const roc = React.useMemo(
    () =>
      insights?.roc_curve
        ? curveSpec(insights.roc_curve, 'roc', {
            x: trans.__('False positive rate'),
            y: trans.__('True positive rate'),
            threshold: trans.__('Threshold')
          })
        : null,
    [insights?.roc_curve, trans]
  );
  const pr = React.useMemo(
    () =>
      insights?.pr_curve
        ? curveSpec(insights.pr_curve, 'pr', {
            x: trans.__('Recall'),
            y: trans.__('Precision'),
            threshold: trans.__('Threshold')
          })
        : null,
    [insights?.pr_curve, trans]
  );
  const residuals = React.useMemo(
    () =>
      insights?.residuals
        ? residualsSpec(insights.residuals, {
            actual: trans.__('Actual'),
            predicted: trans.__('Predicted')
          })
        : null,
    [insights?.residuals, trans]
  );

  const metricNames = Array.from(
    new Set([
      ...Object.keys(c.metrics ?? {}),
      ...Object.keys(c.train_metrics ?? {})
    ])
  ).sort((a, b) =>
    a === c.objective_metric
      ? -1
      : b === c.objective_metric
        ? 1
        : a.localeCompare(b)
  );
  const hyperparameters = Object.entries(c.hyperparameters ?? {});

  return (
    <div
      className="jp-Autopilot-candidate"
      aria-label={trans.__('Candidate %1', c.name)}
    >
      <header className="jp-Autopilot-candidateHeader">
        <h4>
          {c.name}
          {c.is_best && (
            <span className="jp-Autopilot-bestMark">★ {trans.__('Best')}</span>
          )}
        </h4>
        <StatusBadge status={c.status} />
        <span className="jp-Autopilot-spacer" />
        {props.onDeploy && (
          <Button
            onClick={props.onDeploy}
            disabled={!!props.deployDisabledReason || c.status !== 'Completed'}
            title={props.deployDisabledReason ?? undefined}
          >
            {trans.__('Deploy this candidate')}
          </Button>
        )}
        {props.onExport && (
          <Button
            onClick={() => void runExport()}
            disabled={!!exported?.busy || !c.deployable}
            title={
              c.deployable
                ? trans.__(
                    'Write this candidate as a model.tar.gz for SageMaker’s scikit-learn image'
                  )
                : trans.__(
                    'Only the top candidates keep a model that can be exported'
                  )
            }
          >
            {exported?.busy ? <Spinner /> : <ButtonIcon icon={downloadIcon} />}
            {trans.__('Export for SageMaker')}
          </Button>
        )}
      </header>
      {exported?.busy && (
        <div className="jp-AutopilotExport-progress" role="status">
          <ProgressBar value={null} label={trans.__('Exporting')} />
          <span>
            {trans.__(
              'Packaging the model, its checksum and inference code into model.tar.gz…'
            )}
          </span>
        </div>
      )}
      <ErrorMessage
        error={exported?.error}
        title={trans.__('The export failed.')}
        onDismiss={dismissExport}
      />
      {exported?.result && (
        <ExportResult
          result={exported.result}
          onReveal={props.onRevealPath}
          onDismiss={dismissExport}
        />
      )}
      {c.failure_reason && (
        <div className="jp-Autopilot-error">{c.failure_reason}</div>
      )}
      <div className="jp-Autopilot-candidateGrid">
        <div>
          <KeyValues
            label={trans.__('Summary')}
            items={[
              [trans.__('Algorithm'), c.algorithm],
              [trans.__('Pipeline'), c.preprocessing ?? '–'],
              [trans.__('Definition'), c.definition ?? '–'],
              [
                trans.__('Objective'),
                `${c.objective_metric ?? ''} ${formatMetric(c.objective_value)}`.trim()
              ],
              [trans.__('Rank'), c.rank ?? '–'],
              [
                trans.__('Training time'),
                formatDuration(c.duration_seconds) || '–'
              ],
              ...(insights?.decision_threshold !== null &&
              insights?.decision_threshold !== undefined
                ? ([
                    [
                      trans.__('Decision threshold'),
                      formatMetric(insights.decision_threshold)
                    ]
                  ] as Array<[string, string]>)
                : []),
              ...(c.importance_method
                ? ([
                    [trans.__('Importance method'), c.importance_method]
                  ] as Array<[string, string]>)
                : [])
            ]}
          />
        </div>
        <div>
          <table className="jp-Autopilot-table jp-Autopilot-metricsTable">
            <caption>{trans.__('Metrics')}</caption>
            <thead>
              <tr>
                <th scope="col">{trans.__('Metric')}</th>
                <th scope="col" className="jp-mod-numeric">
                  {trans.__('Validation')}
                </th>
                <th scope="col" className="jp-mod-numeric">
                  {trans.__('Training')}
                </th>
              </tr>
            </thead>
            <tbody>
              {metricNames.map(m => (
                <tr
                  key={m}
                  className={
                    m === c.objective_metric ? 'jp-mod-objective' : undefined
                  }
                >
                  <th scope="row">{m}</th>
                  <td className="jp-mod-numeric">
                    {formatMetric(c.metrics?.[m])}
                  </td>
                  <td className="jp-mod-numeric">
                    {formatMetric(c.train_metrics?.[m])}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {hyperparameters.length > 0 && (
        <details className="jp-Autopilot-details" open>
          <summary>{trans.__('Hyperparameters')}</summary>
          <KeyValues
            label={trans.__('Hyperparameters')}
            items={hyperparameters.map(([k, v]) => [
              k,
              <code key={k}>{formatValue(v)}</code>
            ])}
          />
        </details>
      )}
      <TrainingInsight
        name={c.name}
        curves={c.training_curves ?? []}
        findings={c.training_findings ?? []}
        completed={c.status === 'Completed'}
        keepsBest={props.keepsBestIteration}
      />
      <div className="jp-Autopilot-charts">
        {importance && (
          <div className="jp-Autopilot-chartBox jp-mod-wide">
            <h5>{trans.__('Feature importance')}</h5>
            <VegaChart
              spec={importance}
              label={trans.__('Feature importance of %1', c.name)}
              minHeight={
                Math.min(15, c.feature_importance?.length ?? 0) * 18 + 40
              }
              errorText={chartError}
            />
          </div>
        )}
        {confusion && (
          <div className="jp-Autopilot-chartBox">
            <h5>
              {insights?.weighted
                ? trans.__('Confusion matrix (validation, weighted)')
                : trans.__('Confusion matrix (validation)')}
            </h5>
            <VegaChart
              spec={confusion}
              label={trans.__(
                'Confusion matrix: rows are actual labels, columns predicted labels'
              )}
              minHeight={160}
              errorText={chartError}
            />
          </div>
        )}
        {roc && (
          <div className="jp-Autopilot-chartBox">
            <h5>
              {insights?.weighted
                ? trans.__('ROC curve (weighted)')
                : trans.__('ROC curve')}
              {insights?.roc_curve?.area !== null &&
              insights?.roc_curve?.area !== undefined
                ? ` · AUC ${formatMetric(insights.roc_curve.area)}`
                : ''}
            </h5>
            <VegaChart
              spec={roc}
              label={trans.__('ROC curve')}
              minHeight={260}
              errorText={chartError}
            />
          </div>
        )}
        {pr && (
          <div className="jp-Autopilot-chartBox">
            <h5>
              {insights?.weighted
                ? trans.__('Precision-recall curve (weighted)')
                : trans.__('Precision-recall curve')}
              {insights?.pr_curve?.area !== null &&
              insights?.pr_curve?.area !== undefined
                ? ` · AP ${formatMetric(insights.pr_curve.area)}`
                : ''}
            </h5>
            <VegaChart
              spec={pr}
              label={trans.__('Precision-recall curve')}
              minHeight={260}
              errorText={chartError}
            />
          </div>
        )}
        {residuals && (
          <div className="jp-Autopilot-chartBox jp-mod-wide">
            <h5>{trans.__('Predicted vs actual (validation)')}</h5>
            <VegaChart
              spec={residuals}
              label={trans.__('Predicted against actual values')}
              minHeight={280}
              errorText={chartError}
            />
          </div>
        )}
        {!importance && !confusion && !roc && !pr && !residuals && (
          <p className="jp-Autopilot-muted">
            {c.status === 'Completed'
              ? trans.__('No insights were recorded for this candidate.')
              : trans.__('Insights appear when the trial completes.')}
          </p>
        )}
      </div>
    </div>
  );
}
