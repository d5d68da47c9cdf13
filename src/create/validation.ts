/**
 * Client-side validation of the create-experiment form, with messages that say
 * what to fix, and the hints the wizard shows (problem type, default metric,
 * columns to leave out). Pure functions (no React, no requests).
 */
import type { ColumnSummary, ObjectiveMetric, ProblemType } from '../api/types';
import { nameProblem } from '../logic/names';
import { Trans, identityTrans } from '../logic/trans';
import {
  FIELD_STEP,
  FormErrors,
  FormField,
  IExperimentForm,
  IValidationContext,
  isForecasting,
  STEPS,
  Step
} from './form';

/** An `s3://bucket/key` URI (bucket naming rules, loosely). */
export const S3_URI_PATTERN =
  /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;

/** An IAM role ARN. */
export const ROLE_ARN_PATTERN =
  /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** Parse a number field: empty -> undefined; otherwise a value in range or an error. */
export function parseNumber(
  text: string,
  options: {
    integer?: boolean;
    min: number;
    max: number;
    minExclusive?: boolean;
  },
  trans: Trans = identityTrans
): { value?: number; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') {
    return {};
  }
  const value = Number(trimmed);
  if (!isFinite(value)) {
    return { error: trans.__('Enter a number.') };
  }
  if (options.integer && !Number.isInteger(value)) {
    return { error: trans.__('Enter a whole number.') };
  }
  const tooLow = options.minExclusive
    ? value <= options.min
    : value < options.min;
  if (tooLow || value > options.max) {
    return {
      error: options.minExclusive
        ? trans.__(
            'Enter a value above %1 and at most %2.',
            options.min,
            options.max
          )
        : trans.__('Enter a value from %1 to %2.', options.min, options.max)
    };
  }
  return { value };
}

/** Split "a, b c" into ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map(part => part.trim())
    .filter(Boolean);
}

/** Validate the whole form; returns the errors by field (empty when valid). */
export function validateForm(
  form: IExperimentForm,
  context: IValidationContext,
  trans: Trans = identityTrans
): FormErrors {
  const errors: FormErrors = {};
  const set = (field: FormField, message: string | null | undefined) => {
    if (message && !errors[field]) {
      errors[field] = message;
    }
  };

  // Data.
  const uri = form.input_uri.trim();
  if (!uri) {
    set(
      'input_uri',
      context.s3
        ? trans.__(
            'Enter the S3 URI of the training data, or upload a file to S3.'
          )
        : trans.__('Choose a CSV file from the file browser.')
    );
  } else if (context.s3 && !uri.startsWith('s3://')) {
    set(
      'input_uri',
      trans.__(
        'SageMaker reads training data from S3: upload the file ("Upload to S3") or enter an s3:// URI.'
      )
    );
  } else if (!context.s3 && uri.startsWith('s3://')) {
    set(
      'input_uri',
      trans.__(
        'This server runs the local backend: choose a file under the Jupyter root, not an S3 URI.'
      )
    );
  } else if (context.s3 && !S3_URI_PATTERN.test(uri)) {
    set(
      'input_uri',
      trans.__('An S3 URI looks like s3://bucket/path/to/data.csv.')
    );
  }
  if (form.manifest && !context.s3) {
    set(
      'manifest',
      trans.__('Manifest files are an S3 feature; point at the CSV itself.')
    );
  }
  if (form.delimiter.length > 1) {
    set('delimiter', trans.__('The delimiter is a single character.'));
  }

  // Target and columns.
  const columns = context.columns;
  if (!form.target) {
    set('target', trans.__('Choose the column to predict.'));
  } else if (columns && !columns.includes(form.target)) {
    set('target', trans.__('The file has no column named "%1".', form.target));
  }
  if (form.target && form.exclude_columns.includes(form.target)) {
    set(
      'exclude_columns',
      trans.__('The target column cannot also be excluded.')
    );
  }
  const forecasting = isForecasting(form);
  if (forecasting) {
    for (const [field, message] of Object.entries(
      forecastProblems(form, columns, trans, context.s3)
    )) {
      set(field as FormField, message);
    }
    const candidates = form.max_candidates.trim();
    if (context.s3 && candidates !== '' && candidates !== '1') {
      set(
        'max_candidates',
        trans.__(
          'A SageMaker forecasting job trains its own set of algorithms and their ensemble (MaxCandidates takes only 1): leave it empty.'
        )
      );
    }
  }
  if (columns && !forecasting) {
    const unknown = form.exclude_columns.filter(c => !columns.includes(c));
    if (unknown.length) {
      set(
        'exclude_columns',
        trans.__('Unknown columns: %1.', unknown.join(', '))
      );
    }
    const features = columns.filter(
      c => c !== form.target && !form.exclude_columns.includes(c)
    );
    if (form.target && features.length === 0) {
      set(
        'exclude_columns',
        trans.__('Keep at least one column besides the target to learn from.')
      );
    }
  }
  // Weights, validation and algorithms are hidden and not sent for forecasting.
  if (form.sample_weight && !forecasting) {
    if (form.sample_weight === form.target) {
      set(
        'sample_weight',
        trans.__('The target column cannot also be the sample weight column.')
      );
    } else if (columns && !columns.includes(form.sample_weight)) {
      set(
        'sample_weight',
        trans.__('The file has no column named "%1".', form.sample_weight)
      );
    } else if (
      context.s3 &&
      (form.training_mode !== 'ensembling' || form.mode === 'pilot')
    ) {
      set(
        'sample_weight',
        trans.__(
          'SageMaker supports sample weights in the ensembling training mode only (complete runs).'
        )
      );
    }
  }
  if (form.algorithms.length && context.algorithmsByMode && !forecasting) {
    const mode =
      form.mode === 'pilot' && context.s3
        ? 'hyperparameter_tuning'
        : form.training_mode;
    const allowed = context.algorithmsByMode[mode];
    if (!allowed) {
      set(
        'algorithms',
        trans.__(
          'Choosing algorithms needs the ensembling or hyperparameter-tuning training mode here.'
        )
      );
    } else {
      const refused = form.algorithms.filter(a => !allowed.includes(a));
      if (refused.length) {
        set(
          'algorithms',
          trans.__(
            'Not available in this training mode: %1. Choose among %2.',
            refused.join(', '),
            allowed.join(', ')
          )
        );
      }
    }
  }
  if (form.objective_metric && form.problem_type !== 'auto') {
    const allowed = context.metricsByProblemType[form.problem_type] ?? [];
    if (allowed.length && !allowed.includes(form.objective_metric)) {
      set(
        'objective_metric',
        trans.__(
          '%1 does not apply to %2 problems; choose one of %3.',
          form.objective_metric,
          form.problem_type,
          allowed.join(', ')
        )
      );
    }
  }

  // Settings.
  const name = form.name.trim();
  set('name', nameProblem(name, 32, trans.__('experiment'), trans));
  if (context.takenNames?.includes(name)) {
    set('name', nameTakenMessage(name, trans));
  }
  if (form.description.length > 1024) {
    set('description', trans.__('At most 1024 characters.'));
  }
  if (form.project.length > 128) {
    set('project', trans.__('At most 128 characters.'));
  }
  set('tags', tagsProblem(form.tags, trans));
  const candidates = parseNumber(
    form.max_candidates,
    { integer: true, min: 1, max: 750 },
    trans
  );
  set('max_candidates', candidates.error);
  if (form.reproducible && !context.s3 && form.max_candidates.trim() === '') {
    set(
      'max_candidates',
      trans.__(
        'Reproducible mode is bounded by the number of candidates: enter one.'
      )
    );
  }
  const trial = parseNumber(
    form.max_trial_runtime_seconds,
    { integer: true, min: 1, max: 259200 },
    trans
  );
  set('max_trial_runtime_seconds', trial.error);
  const job = parseNumber(
    form.max_job_runtime_seconds,
    { integer: true, min: 1, max: 2592000 },
    trans
  );
  set('max_job_runtime_seconds', job.error);
  if (
    trial.value !== undefined &&
    job.value !== undefined &&
    trial.value > job.value
  ) {
    set(
      'max_trial_runtime_seconds',
      trans.__(
        'A trial cannot run longer than the whole job (%1 s).',
        job.value
      )
    );
  }
  if (forecasting) {
    // Candidates are scored on the backtest windows: no split to check.
  } else if (form.validation_source === 'fraction') {
    const fraction = parseNumber(
      form.validation_fraction,
      { min: 0, max: 0.5, minExclusive: true },
      trans
    );
    if (form.validation_fraction.trim() === '') {
      set(
        'validation_fraction',
        trans.__('Enter the share of rows kept for validation (e.g. 0.2).')
      );
    }
    set('validation_fraction', fraction.error);
  } else {
    set('validation_file', validationFileProblem(form, context, trans));
  }

  // AWS-only fields.
  if (context.s3) {
    const output = form.output_uri.trim();
    if (output && !S3_URI_PATTERN.test(output)) {
      set(
        'output_uri',
        trans.__('An S3 location looks like s3://bucket/prefix.')
      );
    }
    const role = form.role_arn.trim();
    if (role && !ROLE_ARN_PATTERN.test(role)) {
      set(
        'role_arn',
        trans.__('A role ARN looks like arn:aws:iam::123456789012:role/MyRole.')
      );
    }
    const groups = splitList(form.vpc_security_group_ids);
    const subnets = splitList(form.vpc_subnets);
    if (groups.length || subnets.length) {
      if (!groups.length || !subnets.length) {
        set(
          'vpc_config',
          trans.__('A VPC needs both security groups and subnets.')
        );
      } else if (groups.length > 5) {
        set('vpc_security_group_ids', trans.__('At most 5 security groups.'));
      } else if (subnets.length > 16) {
        set('vpc_subnets', trans.__('At most 16 subnets.'));
      } else if (groups.some(g => !/^sg-[0-9a-zA-Z]+$/.test(g))) {
        set(
          'vpc_security_group_ids',
          trans.__('Security group ids look like sg-0123456789abcdef0.')
        );
      } else if (subnets.some(s => !/^subnet-[0-9a-zA-Z]+$/.test(s))) {
        set(
          'vpc_subnets',
          trans.__('Subnet ids look like subnet-0123456789abcdef0.')
        );
      }
    }
  }
  return errors;
}

/** A quantile as SageMaker takes it: whole percents p1..p99. */
const QUANTILE_PATTERN = /^p([1-9]\d?)$/;

/**
 * Problems with the forecast fields of a forecasting form, by field (the API's
 * `forecast.<field>` names): missing or unknown columns, a column in two roles,
 * horizon, quantiles and backtest windows out of the API's ranges.
 */
export function forecastProblems(
  form: IExperimentForm,
  columns: string[] | null,
  trans: Trans = identityTrans,
  s3 = false
): FormErrors {
  const errors: FormErrors = {};
  const set = (field: FormField, message: string | undefined) => {
    if (message && !errors[field]) {
      errors[field] = message;
    }
  };
  const unknown = (names: string[]) =>
    columns ? names.filter(c => !columns.includes(c)) : [];
  const timestamp = form['forecast.timestamp'];
  if (!timestamp) {
    set('forecast.timestamp', trans.__('Choose the column of dates or times.'));
  } else if (timestamp === form.target) {
    set(
      'forecast.timestamp',
      trans.__('The target is what is forecast; choose the timestamp column.')
    );
  } else if (unknown([timestamp]).length) {
    set(
      'forecast.timestamp',
      trans.__('The file has no column named "%1".', timestamp)
    );
  }
  const roles: Array<[FormField, string[]]> = [
    ['forecast.item_ids', form['forecast.item_ids']],
    ['forecast.related', form['forecast.related']]
  ];
  const seen = new Set([timestamp, form.target]);
  for (const [field, names] of roles) {
    const missing = unknown(names);
    if (missing.length) {
      set(field, trans.__('Unknown columns: %1.', missing.join(', ')));
    }
    const twice = names.filter(n => seen.has(n));
    if (twice.length) {
      set(
        field,
        trans.__(
          '%1 already has another role (target, timestamp or item id); give each column one role.',
          twice.join(', ')
        )
      );
    }
    names.forEach(n => seen.add(n));
  }
  if (form['forecast.item_ids'].length > 6) {
    set('forecast.item_ids', trans.__('At most 6 item-id columns.'));
  }
  const frequency = form['forecast.frequency'].trim();
  if (frequency && !/^\d*[A-Za-z]+(-[A-Za-z]+)?$/.test(frequency)) {
    set(
      'forecast.frequency',
      trans.__(
        'Enter a pandas frequency such as D (daily), W-SUN (weekly), MS (monthly), h (hourly) or 15min, or leave it empty to detect it.'
      )
    );
  }
  if (form['forecast.horizon'].trim() === '') {
    set(
      'forecast.horizon',
      trans.__('Enter how many steps to forecast (e.g. 14).')
    );
  }
  set(
    'forecast.horizon',
    parseNumber(
      form['forecast.horizon'],
      { integer: true, min: 1, max: 10000 },
      trans
    ).error
  );
  const quantiles = splitList(form['forecast.quantiles']);
  const bad = quantiles.filter(q => !QUANTILE_PATTERN.test(q));
  if (!quantiles.length) {
    set(
      'forecast.quantiles',
      trans.__('Enter at least one quantile, e.g. p10, p50, p90.')
    );
  } else if (bad.length) {
    set(
      'forecast.quantiles',
      trans.__(
        'Quantiles are whole percents p1 to p99 (not %1), e.g. p10, p50, p90.',
        bad.join(', ')
      )
    );
  } else if (new Set(quantiles).size !== quantiles.length) {
    set('forecast.quantiles', trans.__('Each quantile may appear once.'));
  } else if (quantiles.length > 5) {
    set('forecast.quantiles', trans.__('At most 5 quantiles.'));
  }
  set(
    'forecast.backtest_windows',
    parseNumber(
      form['forecast.backtest_windows'],
      { integer: true, min: 1, max: 5 },
      trans
    ).error
  );
  if (!/^([A-Za-z]{2})?$/.test(form['forecast.holiday_country'].trim())) {
    set(
      'forecast.holiday_country',
      trans.__(
        'Use a two-letter country code (ISO 3166), for example US, GB, DE or JP, or leave it empty.'
      )
    );
  }
  if (s3) {
    // SageMaker Autopilot's own limits (the backend's forecasting.py cites them).
    if (!form['forecast.item_ids'].length) {
      set(
        'forecast.item_ids',
        trans.__(
          'SageMaker Autopilot needs an item-id column, even for one series: add a column with the same value on every row (e.g. item_id = 1) and choose it.'
        )
      );
    }
    if (Number(form['forecast.horizon'].trim()) > 500) {
      set(
        'forecast.horizon',
        trans.__('SageMaker Autopilot forecasts at most 500 steps.')
      );
    }
    if (!['', '1'].includes(form['forecast.backtest_windows'].trim())) {
      set(
        'forecast.backtest_windows',
        trans.__(
          'SageMaker Autopilot chooses its own backtest windows: leave it empty.'
        )
      );
    }
  }
  return errors;
}

/** The message of an experiment name that is taken. */
/**
 * What is wrong with the chosen validation file, if anything: none chosen, the training
 * file itself, not on S3 (sagemaker), or columns that differ from the training file's
 * (from the two previews, so the mismatch shows before Create).
 */
export function validationFileProblem(
  form: IExperimentForm,
  context: IValidationContext,
  trans: Trans
): string | undefined {
  const file = form.validation_file.trim();
  if (!file) {
    return trans.__(
      'Choose the validation file, or hold out a share of the training file instead.'
    );
  }
  if (file === form.input_uri.trim()) {
    return trans.__(
      'The validation file is the training file; choose a separate file of held-out rows.'
    );
  }
  if (context.s3 && !file.startsWith('s3://')) {
    return trans.__(
      'SageMaker reads the validation file from S3: browse to upload it, or enter its s3:// URI.'
    );
  }
  const train = context.columns;
  const valid = form.validation_columns;
  if (!train || !valid) {
    return undefined;
  }
  const missing = train.filter(c => !valid.includes(c));
  const extra = valid.filter(c => !train.includes(c));
  if (!missing.length && !extra.length) {
    return undefined;
  }
  const parts = [
    missing.length ? trans.__('missing %1', missing.join(', ')) : '',
    extra.length
      ? trans.__('not in the training file: %1', extra.join(', '))
      : ''
  ].filter(Boolean);
  return trans.__(
    'The validation file needs the training file’s columns (%1).',
    parts.join('; ')
  );
}

export function nameTakenMessage(
  name: string,
  trans: Trans = identityTrans
): string {
  return trans.__(
    'An experiment named "%1" already exists; choose another name.',
    name
  );
}

/** Problems with the tag list, or null. */
export function tagsProblem(
  tags: Array<{ key: string; value: string }>,
  trans: Trans = identityTrans
): string | null {
  if (tags.length > 50) {
    return trans.__('At most 50 tags.');
  }
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.key.trim();
    if (!key && !tag.value.trim()) {
      continue;
    }
    if (!key) {
      return trans.__('Every tag needs a key.');
    }
    if (key.length > 128) {
      return trans.__('Tag keys have at most 128 characters.');
    }
    if (tag.value.length > 256) {
      return trans.__('Tag values have at most 256 characters.');
    }
    if (seen.has(key)) {
      return trans.__('The tag key "%1" is used twice.', key);
    }
    seen.add(key);
  }
  return null;
}

/** Errors that belong to the given step. */
export function errorsOfStep(errors: FormErrors, step: Step): FormErrors {
  const out: FormErrors = {};
  for (const [field, message] of Object.entries(errors)) {
    if ((FIELD_STEP[field] ?? 'review') === step && message) {
      out[field as FormField] = message;
    }
  }
  return out;
}

/** Whether `target` can be opened from `current`: back always, forward once the steps before it are valid. */
export function isReachable(
  target: Step,
  current: Step,
  errors: FormErrors
): boolean {
  const index = STEPS.indexOf(target);
  if (index <= STEPS.indexOf(current)) {
    return true;
  }
  return STEPS.slice(0, index).every(
    s => Object.keys(errorsOfStep(errors, s)).length === 0
  );
}

/** The first step with an error, or null. */
export function firstStepWithErrors(errors: FormErrors): Step | null {
  for (const step of STEPS) {
    if (Object.keys(errorsOfStep(errors, step)).length) {
      return step;
    }
  }
  return null;
}

/**
 * A guess of the problem type from the target column's statistics, shown as
 * a hint next to "Auto" (the server decides).
 */
export function guessProblemType(
  column: ColumnSummary | undefined
): ProblemType | null {
  if (!column) {
    return null;
  }
  const distinct = column.unique_count;
  if (distinct <= 1) {
    return null;
  }
  if (distinct === 2 || column.inferred_type === 'boolean') {
    return 'binary';
  }
  const numeric = column.inferred_type === 'numeric';
  const integerLike = (column.examples ?? []).every(v => /^-?\d+$/.test(v));
  if (numeric && (!integerLike || distinct > 20)) {
    return 'regression';
  }
  return 'multiclass';
}

/** The metric used when the form leaves it empty. */
export function defaultMetric(
  problemType: ProblemType | null,
  metricsByProblemType: Partial<Record<ProblemType, ObjectiveMetric[]>>
): ObjectiveMetric | null {
  if (!problemType || problemType === 'auto') {
    return null;
  }
  return metricsByProblemType[problemType]?.[0] ?? null;
}

/** Columns a user would usually leave out, with why (from the preview's statistics). */
export function columnHints(
  column: ColumnSummary,
  trans: Trans = identityTrans
): string[] {
  const hints: string[] = [];
  if (column.inferred_type === 'id') {
    hints.push(
      trans.__(
        'Looks like an identifier (unique per row); not used as a feature.'
      )
    );
  } else if (column.inferred_type === 'constant') {
    hints.push(trans.__('Constant; not used as a feature.'));
  }
  if (column.missing_fraction >= 0.5) {
    hints.push(
      trans.__(
        'Missing in %1% of the rows scanned.',
        Math.round(column.missing_fraction * 100)
      )
    );
  }
  return hints;
}
