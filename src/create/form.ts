/**
 * The create-experiment form: what it holds, its steps and which field belongs to
 * which, and its conversion from and to the API's ExperimentSpec. Pure functions.
 */
import type {
  AutoMLAlgorithm,
  CandidatePlan,
  ColumnSummary,
  ExperimentSpec,
  ForecastSpec,
  ObjectiveMetric,
  ProblemType
} from '../api/types';
import { splitList } from './validation';

/** What the form holds; numbers stay text until validated (so typing is free). */
export interface IExperimentForm {
  input_uri: string;
  manifest: boolean;
  /** '' = detect. */
  delimiter: string;
  target: string;
  exclude_columns: string[];
  /** '' = every row counts once. */
  sample_weight: string;
  problem_type: ProblemType;
  /** '' = the default for the problem type. */
  objective_metric: ObjectiveMetric | '';
  mode: 'complete' | 'pilot';
  training_mode: 'auto' | 'ensembling' | 'hyperparameter_tuning';
  /** Algorithm families to train (Autopilot's names); empty = all. */
  algorithms: AutoMLAlgorithm[];
  name: string;
  description: string;
  project: string;
  tags: Array<{ key: string; value: string }>;
  max_candidates: string;
  max_trial_runtime_seconds: string;
  max_job_runtime_seconds: string;
  /** Where the validation data comes from: a random share of the training file, or
   * a separate file (`validation_file`) that replaces the split. */
  validation_source: 'fraction' | 'file';
  validation_fraction: string;
  validation_file: string;
  /** The validation file's columns from its preview (null until previewed), checked
   * against the training file's before Create. Not sent. */
  validation_columns: string[] | null;
  output_uri: string;
  role_arn: string;
  kms_key_id: string;
  vpc_security_group_ids: string;
  vpc_subnets: string;
  /** Candidates to run instead of generated ones (kept from a copied experiment). */
  candidate_plan: CandidatePlan | null;
  /** Bounded by max_candidates only: the same leaderboard every time (local). */
  reproducible: boolean;
  // The forecast block (problem type TimeSeriesForecasting only), named as the API
  // names its fields so a 400 on `forecast.horizon` lands next to that input.
  'forecast.timestamp': string;
  /** Columns that together name a series; empty = the file is one series. */
  'forecast.item_ids': string[];
  /** '' = detect from the timestamps (the series preview says what it found). */
  'forecast.frequency': string;
  'forecast.horizon': string;
  /** Comma-separated whole percents, e.g. "p10, p50, p90". */
  'forecast.quantiles': string;
  'forecast.related': string[];
  'forecast.backtest_windows': string;
  /** A two-letter country code whose public holidays are features; '' = none. */
  'forecast.holiday_country': string;
}

/** The form fields of the forecast block (each is `forecast.<API field>`). */
export const FORECAST_FIELDS = [
  'forecast.timestamp',
  'forecast.item_ids',
  'forecast.frequency',
  'forecast.horizon',
  'forecast.quantiles',
  'forecast.related',
  'forecast.backtest_windows',
  'forecast.holiday_country'
] as const;

/** Autopilot's default forecast quantiles. */
export const DEFAULT_QUANTILES = 'p10, p50, p90';

/** Whether the form describes a forecasting experiment. */
/**
 * The columns offered as a forecast's related series: numbers (a 0/1 promotion flag too,
 * which the preview calls binary), the ones already chosen, never the timestamp or an
 * item id (a column keeps one role).
 */
export function relatedColumnsOffered(
  columns: ReadonlyArray<
    Pick<ColumnSummary, 'name' | 'inferred_type' | 'dtype'>
  >,
  related: readonly string[],
  timestamp: string,
  itemIds: readonly string[]
): string[] {
  return columns
    .filter(
      c =>
        c.inferred_type === 'numeric' ||
        /^u?int\d*$|^float\d*$/i.test(c.dtype) ||
        related.includes(c.name)
    )
    .map(c => c.name)
    .filter(n => n !== timestamp && !itemIds.includes(n));
}

export function isForecasting(form: Pick<IExperimentForm, 'problem_type'>) {
  return form.problem_type === 'TimeSeriesForecasting';
}

/** Form fields that can carry an error message (API field names where they exist). */
export type FormField =
  | keyof IExperimentForm
  | 'vpc_config'
  /** Problems with the forecast block as a whole (e.g. a column in two roles). */
  | 'forecast'
  /** Problems with the request as a whole. */
  | '';

/** Errors by field; an empty object means the form is valid. */
export type FormErrors = Partial<Record<FormField, string>>;

/** The wizard's steps, in order. */
export const STEPS = ['data', 'target', 'settings', 'review'] as const;
export type Step = (typeof STEPS)[number];

/** Which step shows which field (for jumping to the first error). */
export const FIELD_STEP: Record<string, Step> = {
  input_uri: 'data',
  manifest: 'data',
  delimiter: 'data',
  target: 'target',
  exclude_columns: 'target',
  sample_weight: 'settings',
  problem_type: 'target',
  objective_metric: 'target',
  mode: 'settings',
  training_mode: 'settings',
  algorithms: 'settings',
  name: 'settings',
  description: 'settings',
  project: 'settings',
  tags: 'settings',
  max_candidates: 'settings',
  max_trial_runtime_seconds: 'settings',
  max_job_runtime_seconds: 'settings',
  validation_fraction: 'settings',
  validation_file: 'settings',
  output_uri: 'settings',
  role_arn: 'settings',
  kms_key_id: 'settings',
  vpc_config: 'settings',
  vpc_security_group_ids: 'settings',
  vpc_subnets: 'settings',
  seed: 'settings',
  reproducible: 'settings',
  forecast: 'target',
  'forecast.timestamp': 'target',
  'forecast.item_ids': 'target',
  'forecast.frequency': 'target',
  'forecast.horizon': 'target',
  'forecast.quantiles': 'target',
  'forecast.related': 'target',
  'forecast.backtest_windows': 'target',
  'forecast.holiday_country': 'target',
  '': 'review'
};

/** What validation needs to know besides the form. */
export interface IValidationContext {
  /** Column names from the preview (null until previewed). */
  columns: string[] | null;
  /** The backend reads S3 (show and check the AWS-only fields). */
  s3: boolean;
  /** Valid metrics per concrete problem type (health.defaults). */
  metricsByProblemType: Partial<Record<ProblemType, ObjectiveMetric[]>>;
  /** The algorithms one may choose per training mode (health.defaults); a mode that
   * is absent takes no choice. */
  algorithmsByMode?: Partial<Record<string, readonly AutoMLAlgorithm[]>>;
  /** Names of the experiments that exist already (from the list). */
  takenNames?: readonly string[];
}

/** A new, empty form with the backend's defaults left as placeholders. */
export function emptyForm(
  partial: Partial<IExperimentForm> = {}
): IExperimentForm {
  return {
    input_uri: '',
    manifest: false,
    delimiter: '',
    target: '',
    exclude_columns: [],
    sample_weight: '',
    problem_type: 'auto',
    objective_metric: '',
    mode: 'complete',
    training_mode: 'auto',
    algorithms: [],
    name: '',
    description: '',
    project: '',
    tags: [],
    max_candidates: '',
    max_trial_runtime_seconds: '',
    max_job_runtime_seconds: '',
    validation_source: 'fraction',
    validation_fraction: '0.2',
    validation_file: '',
    validation_columns: null,
    output_uri: '',
    role_arn: '',
    kms_key_id: '',
    vpc_security_group_ids: '',
    vpc_subnets: '',
    candidate_plan: null,
    reproducible: false,
    'forecast.timestamp': '',
    'forecast.item_ids': [],
    'forecast.frequency': '',
    'forecast.horizon': '',
    'forecast.quantiles': DEFAULT_QUANTILES,
    'forecast.related': [],
    'forecast.backtest_windows': '',
    'forecast.holiday_country': '',
    ...partial
  };
}

/** A form filled from an existing spec (re-create with changes). */
export function formFromSpec(spec: ExperimentSpec): IExperimentForm {
  const text = (value: number | null | undefined) =>
    value === null || value === undefined ? '' : String(value);
  return emptyForm({
    input_uri: spec.input_uri,
    manifest: spec.manifest,
    delimiter: spec.delimiter ?? '',
    target: spec.target,
    exclude_columns: [...(spec.exclude_columns ?? [])],
    sample_weight: spec.sample_weight ?? '',
    problem_type: spec.problem_type,
    objective_metric: spec.objective_metric ?? '',
    mode: spec.mode,
    training_mode: spec.training_mode,
    algorithms: [...(spec.algorithms ?? [])],
    name: spec.name,
    description: spec.description ?? '',
    project: spec.project ?? '',
    tags: (spec.tags ?? []).map(t => ({ key: t.key, value: t.value })),
    max_candidates: text(spec.max_candidates),
    max_trial_runtime_seconds: text(spec.max_trial_runtime_seconds),
    max_job_runtime_seconds: text(spec.max_job_runtime_seconds),
    validation_source: spec.validation_file ? 'file' : 'fraction',
    validation_fraction: String(spec.validation_fraction ?? 0.2),
    validation_file: spec.validation_file ?? '',
    output_uri: spec.output_uri ?? '',
    role_arn: spec.role_arn ?? '',
    kms_key_id: spec.kms_key_id ?? '',
    vpc_security_group_ids: (spec.vpc_config?.security_group_ids ?? []).join(
      ', '
    ),
    vpc_subnets: (spec.vpc_config?.subnets ?? []).join(', '),
    candidate_plan: spec.candidate_plan ?? null,
    reproducible: spec.reproducible ?? false,
    ...(spec.forecast
      ? {
          'forecast.timestamp': spec.forecast.timestamp,
          'forecast.item_ids': [...(spec.forecast.item_ids ?? [])],
          'forecast.frequency': spec.forecast.frequency ?? '',
          'forecast.horizon': String(spec.forecast.horizon),
          'forecast.quantiles': (
            spec.forecast.quantiles ?? DEFAULT_QUANTILES.split(', ')
          ).join(', '),
          'forecast.related': [...(spec.forecast.related ?? [])],
          'forecast.backtest_windows': String(
            spec.forecast.backtest_windows ?? ''
          ),
          'forecast.holiday_country': spec.forecast.holiday_country ?? ''
        }
      : {})
  });
}

/** The API request for a valid form (call validateForm first). */
export function buildSpec(
  form: IExperimentForm,
  context: IValidationContext
): ExperimentSpec {
  const num = (text: string) =>
    text.trim() === '' ? null : Number(text.trim());
  const str = (text: string) => (text.trim() === '' ? null : text.trim());
  const groups = splitList(form.vpc_security_group_ids);
  const subnets = splitList(form.vpc_subnets);
  const s3 = context.s3;
  // Forecasting scores candidates on backtest windows at the end of each series: the
  // tabular-only settings (weights, validation split or file, algorithms, a plan) are
  // left out, as the API requires.
  const forecasting = isForecasting(form);
  return {
    name: form.name.trim(),
    tags: form.tags
      .filter(t => t.key.trim())
      .map(t => ({ key: t.key.trim(), value: t.value })),
    project: str(form.project),
    description: str(form.description),
    input_uri: form.input_uri.trim(),
    manifest: s3 ? form.manifest : false,
    delimiter: form.delimiter === '' ? null : form.delimiter,
    target: form.target,
    exclude_columns: forecasting
      ? []
      : form.exclude_columns.filter(c => c !== form.target),
    sample_weight: forecasting ? null : str(form.sample_weight),
    output_uri: s3 ? str(form.output_uri) : null,
    problem_type: form.problem_type,
    objective_metric:
      form.objective_metric === '' ? null : form.objective_metric,
    mode: form.mode,
    training_mode: form.training_mode,
    forecast: forecasting ? buildForecast(form) : null,
    algorithms: forecasting ? [] : [...form.algorithms],
    role_arn: s3 ? str(form.role_arn) : null,
    kms_key_id: s3 ? str(form.kms_key_id) : null,
    vpc_config:
      s3 && groups.length && subnets.length
        ? { security_group_ids: groups, subnets }
        : null,
    max_candidates: num(form.max_candidates),
    max_trial_runtime_seconds: num(form.max_trial_runtime_seconds),
    max_job_runtime_seconds: num(form.max_job_runtime_seconds),
    // A validation file replaces the split: the fraction is then left out (the API
    // refuses both).
    validation_fraction:
      !forecasting && form.validation_source === 'fraction'
        ? Number(form.validation_fraction)
        : null,
    validation_file:
      !forecasting && form.validation_source === 'file'
        ? str(form.validation_file)
        : null,
    seed: 0,
    // Generated candidates, unless the copied experiment ran a plan (an imported notebook).
    candidate_plan: forecasting ? null : form.candidate_plan,
    reproducible: s3 ? false : form.reproducible
  };
}

/**
 * The API's forecast block of a form (its fields validated first); also what the
 * series preview is asked with.
 */
export function buildForecast(form: IExperimentForm): ForecastSpec {
  const frequency = form['forecast.frequency'].trim();
  const windows = form['forecast.backtest_windows'].trim();
  const country = form['forecast.holiday_country'].trim().toUpperCase();
  return {
    timestamp: form['forecast.timestamp'],
    item_ids: [...form['forecast.item_ids']],
    frequency: frequency === '' ? null : frequency,
    horizon: Number(form['forecast.horizon'].trim()),
    quantiles: splitList(form['forecast.quantiles']),
    related: [...form['forecast.related']],
    // Empty: the local engine chooses (SageMaker Autopilot always chooses its own).
    backtest_windows: windows === '' ? null : Number(windows),
    holiday_country: country === '' ? null : country
  };
}
