/**
 * Step 4 of the wizard: every setting in one table (each with an Edit link to its
 * step), the server's check of the data and the name, then Create.
 */
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { CostEstimateView } from '../common/CostEstimateView';
import type { ObjectiveMetric, ProblemType } from '../api/types';
import { Notice, useTrans } from '../common/components';
import { formatDuration } from '../format';
import { DataChecks } from './DataChecks';
import {
  FormErrors,
  FormField,
  IExperimentForm,
  isForecasting,
  Step
} from './form';
import { problemTypeLabel, useStepTitles } from './labels';
import { IStepProps } from './stepProps';
import { defaultMetric, guessProblemType } from './validation';

/** One line of the review table, with the step that edits it. */
interface IReviewRow {
  step: Step;
  field: FormField;
  label: string;
  value: React.ReactNode;
}

/** Settings a forecast does not use (the API refuses them with a forecast block). */
const TABULAR_ONLY = new Set<string>([
  'exclude_columns',
  'validation_file',
  'validation_fraction',
  'sample_weight',
  'algorithms',
  'candidate_plan'
]);

/**
 * The review of a forecasting form: the tabular-only rows (and the feature count) out,
 * the forecast block's rows after the problem type.
 */
function forecastRows(
  rows: IReviewRow[],
  f: IExperimentForm,
  p: IStepProps,
  trans: ReturnType<typeof useTrans>
): IReviewRow[] {
  const kept = rows.filter(
    r => !TABULAR_ONLY.has(r.field) && !(r.field === '' && r.step === 'target')
  );
  const frequency =
    f['forecast.frequency'].trim() ||
    (p.seriesPreview?.series?.frequency
      ? trans.__('detected (%1)', p.seriesPreview.series.frequency)
      : trans.__('detected'));
  const row = (
    field: FormField,
    label: string,
    value: React.ReactNode
  ): IReviewRow => ({ step: 'target', field, label, value });
  const forecast: IReviewRow[] = [
    row(
      'forecast.timestamp',
      trans.__('Timestamp'),
      f['forecast.timestamp'] || '–'
    ),
    row(
      'forecast.item_ids',
      trans.__('Item ids'),
      f['forecast.item_ids'].join(', ') || trans.__('none (one series)')
    ),
    row('forecast.frequency', trans.__('Frequency'), frequency),
    row('forecast.horizon', trans.__('Horizon'), f['forecast.horizon'] || '–'),
    row('forecast.quantiles', trans.__('Quantiles'), f['forecast.quantiles']),
    row(
      'forecast.related',
      trans.__('Related columns'),
      f['forecast.related'].join(', ') || trans.__('none')
    ),
    row(
      'forecast.backtest_windows',
      trans.__('Backtest windows'),
      f['forecast.backtest_windows'] || trans.__('chosen by the job (up to 3)')
    ),
    row(
      'forecast.holiday_country',
      trans.__('Holiday calendar'),
      f['forecast.holiday_country'].trim().toUpperCase() || trans.__('none')
    )
  ];
  const at = kept.findIndex(r => r.field === 'problem_type') + 1;
  return [...kept.slice(0, at), ...forecast, ...kept.slice(at)];
}

export function ReviewStep(
  p: IStepProps & {
    clientErrors: FormErrors;
    serverErrors: FormErrors;
    goTo: (step: Step) => void;
  }
): JSX.Element {
  const trans = useTrans();
  const f = p.form;
  const forecasting = isForecasting(f);
  const d = p.health.defaults;
  const s3 = p.health.features.s3;
  const titles = useStepTitles();
  const guessed = forecasting
    ? null
    : guessProblemType(p.preview?.columns.find(c => c.name === f.target));
  const effective = f.problem_type === 'auto' ? guessed : f.problem_type;
  const metric =
    f.objective_metric ||
    defaultMetric(
      effective,
      d.metrics_by_problem_type as Partial<
        Record<ProblemType, ObjectiveMetric[]>
      >
    ) ||
    trans.__('default');
  // The budget the server resolved for the empty fields, once checked.
  const budget = p.checks.result?.budget;
  const features = p.preview
    ? p.preview.columns.filter(
        c =>
          c.name !== f.target &&
          c.name !== f.sample_weight &&
          !f.exclude_columns.includes(c.name)
      ).length
    : null;
  const allRows: IReviewRow[] = [
    {
      step: 'data',
      field: 'input_uri',
      label: trans.__('Data'),
      value: f.input_uri || '–'
    },
    ...(s3 && f.manifest
      ? [
          {
            step: 'data' as Step,
            field: 'manifest' as FormField,
            label: trans.__('Manifest'),
            value: trans.__('yes')
          }
        ]
      : []),
    {
      step: 'target',
      field: 'target',
      label: trans.__('Target'),
      value: f.target || '–'
    },
    {
      step: 'target',
      field: 'exclude_columns',
      label: trans.__('Excluded columns'),
      value: f.exclude_columns.length
        ? f.exclude_columns.join(', ')
        : trans.__('none')
    },
    ...(features !== null
      ? [
          {
            step: 'target' as Step,
            field: '' as FormField,
            label: trans.__('Features'),
            value: String(features)
          }
        ]
      : []),
    {
      step: 'target',
      field: 'problem_type',
      label: trans.__('Problem type'),
      value:
        f.problem_type === 'auto' && guessed
          ? trans.__(
              'Auto-detect (looks like %1)',
              problemTypeLabel(guessed, trans).toLowerCase()
            )
          : problemTypeLabel(f.problem_type, trans)
    },
    ...(f.candidate_plan
      ? [
          {
            step: 'settings' as Step,
            field: 'candidate_plan' as FormField,
            label: trans.__('Candidates'),
            value: trans.__(
              '%1 from a plan: %2',
              f.candidate_plan.candidates.map(c => c.name).join(', '),
              f.candidate_plan.source || trans.__('copied experiment')
            )
          }
        ]
      : []),
    {
      step: 'target',
      field: 'objective_metric',
      label: trans.__('Objective'),
      value: metric
    },
    {
      step: 'settings',
      field: 'name',
      label: trans.__('Name'),
      value: f.name || '–'
    },
    {
      step: 'settings',
      field: 'mode',
      label: trans.__('Run'),
      value:
        f.mode === 'complete'
          ? trans.__('Complete experiment')
          : trans.__('Pilot (candidate definitions only)')
    },
    {
      step: 'settings',
      field: 'max_candidates',
      label: trans.__('Max candidates'),
      value:
        f.max_candidates ||
        trans.__('%1 (default)', budget?.max_candidates ?? d.max_candidates)
    },
    {
      step: 'settings',
      field: 'max_trial_runtime_seconds',
      label: trans.__('Max trial runtime'),
      value: f.max_trial_runtime_seconds
        ? formatDuration(Number(f.max_trial_runtime_seconds))
        : trans.__(
            '%1 (default)',
            formatDuration(
              budget?.max_trial_runtime_seconds ??
                Math.min(
                  d.max_trial_runtime_seconds,
                  Number(f.max_job_runtime_seconds) || d.max_job_runtime_seconds
                )
            )
          )
    },
    {
      step: 'settings',
      field: 'max_job_runtime_seconds',
      label: trans.__('Max job runtime'),
      value: f.max_job_runtime_seconds
        ? formatDuration(Number(f.max_job_runtime_seconds))
        : trans.__(
            '%1 (default)',
            formatDuration(
              budget?.max_job_runtime_seconds ?? d.max_job_runtime_seconds
            )
          )
    },
    f.validation_source === 'file'
      ? {
          step: 'settings',
          field: 'validation_file',
          label: trans.__('Validation data'),
          value: trans.__('the file %1 (no random split)', f.validation_file)
        }
      : {
          step: 'settings',
          field: 'validation_fraction',
          label: trans.__('Validation fraction'),
          value: f.validation_fraction
        },
    {
      step: 'settings',
      field: 'sample_weight',
      label: trans.__('Sample weights'),
      value: f.sample_weight || trans.__('none')
    },
    {
      step: 'settings',
      field: 'algorithms',
      label: trans.__('Algorithms'),
      value: f.algorithms.length ? f.algorithms.join(', ') : trans.__('all')
    },
    ...(f.reproducible && !s3
      ? [
          {
            step: 'settings' as Step,
            field: 'reproducible' as FormField,
            label: trans.__('Reproducible'),
            value: trans.__('yes: bounded by the number of candidates only')
          }
        ]
      : []),
    ...(f.tags.some(t => t.key.trim())
      ? [
          {
            step: 'settings' as Step,
            field: 'tags' as FormField,
            label: trans.__('Tags'),
            value: f.tags
              .filter(t => t.key.trim())
              .map(t => `${t.key}=${t.value}`)
              .join(', ')
          }
        ]
      : []),
    ...(s3
      ? [
          {
            step: 'settings' as Step,
            field: 'output_uri' as FormField,
            label: trans.__('Output location'),
            value: f.output_uri || trans.__('default bucket')
          },
          {
            step: 'settings' as Step,
            field: 'role_arn' as FormField,
            label: trans.__('IAM role'),
            value: f.role_arn || p.health.role_arn || trans.__('default')
          },
          {
            step: 'settings' as Step,
            field: 'kms_key_id' as FormField,
            label: trans.__('KMS key'),
            value: f.kms_key_id || trans.__('none')
          },
          {
            step: 'settings' as Step,
            field: 'vpc_config' as FormField,
            label: trans.__('VPC'),
            value:
              f.vpc_security_group_ids || f.vpc_subnets
                ? `${f.vpc_security_group_ids} / ${f.vpc_subnets}`
                : trans.__('none')
          }
        ]
      : [])
  ];
  const rows = forecasting ? forecastRows(allRows, f, p, trans) : allRows;
  const allErrors = { ...p.clientErrors, ...p.serverErrors };
  return (
    <div className="jp-AutopilotCreate-fields">
      {p.serverErrors[''] && (
        <Notice kind="error" role="alert">
          {p.serverErrors['']}
        </Notice>
      )}
      <DataChecks
        status={p.checks.status}
        columnWarnings={p.checks.columnWarnings}
        notes={p.checks.notes}
        error={p.checks.error}
        onExclude={p.checks.onExclude}
        backend={p.health.backend}
        name={
          p.checks.status === 'done' && p.checks.result && p.checks.nameChecked
            ? {
                name: f.name.trim(),
                available: p.checks.result.name_available
              }
            : null
        }
      />
      {p.checks.status === 'done' && p.checks.result?.cost_estimate && (
        <CostEstimateView
          estimate={p.checks.result.cost_estimate}
          what={trans.__('this experiment')}
        />
      )}
      {allErrors.forecast && (
        // A problem with the forecast block as a whole (no one row to put it on).
        <div className="jp-Autopilot-fieldError" role="alert">
          {trans.__('Forecast: %1', allErrors.forecast)}
        </div>
      )}
      <table className="jp-Autopilot-table jp-AutopilotCreate-review">
        <tbody>
          {rows.map((row, i) => {
            const error = row.field ? allErrors[row.field] : undefined;
            return (
              <tr key={i} className={error ? 'jp-mod-invalid' : undefined}>
                <th scope="row">{row.label}</th>
                <td>
                  <div className="jp-Autopilot-reviewValue">{row.value}</div>
                  {error && (
                    <div className="jp-Autopilot-fieldError">{error}</div>
                  )}
                </td>
                <td className="jp-Autopilot-reviewEdit">
                  <Button
                    small
                    minimal
                    aria-label={trans.__(
                      'Edit %1 (%2)',
                      row.label,
                      titles[row.step]
                    )}
                    onClick={() => p.goTo(row.step)}
                  >
                    {trans.__('Edit')}
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="jp-Autopilot-muted">
        {f.mode === 'pilot'
          ? trans.__(
              'The pilot run analyses the data and writes the candidate definitions notebook; no models are trained.'
            )
          : trans.__(
              'The experiment starts right away. You can watch the stages and the leaderboard, and stop it at any time.'
            )}
      </p>
    </div>
  );
}
