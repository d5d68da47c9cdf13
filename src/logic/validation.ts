/**
 * The create-experiment form: its state, client-side validation with clear
 * messages, and conversion to the API's ExperimentSpec.
 *
 * Pure functions (no React, no requests) so that jest covers them fully.
 */
import type {
  CandidatePlan,
  ColumnSummary,
  ExperimentSpec,
  ObjectiveMetric,
  ProblemType
} from '../api/types';
import { nameProblem } from './names';
import { Trans, identityTrans } from './trans';

/** An `s3://bucket/key` URI (bucket naming rules, loosely). */
export const S3_URI_PATTERN =
  /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;

/** An IAM role ARN. */
export const ROLE_ARN_PATTERN =
  /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** What the form holds; numbers stay text until validated (so typing is free). */
export interface IExperimentForm {
  input_uri: string;
  manifest: boolean;
  /** '' = detect. */
  delimiter: string;
  target: string;
  exclude_columns: string[];
  problem_type: ProblemType;
  /** '' = the default for the problem type. */
  objective_metric: ObjectiveMetric | '';
  mode: 'complete' | 'pilot';
  training_mode: 'auto' | 'ensembling' | 'hyperparameter_tuning';
  name: string;
  description: string;
  project: string;
  tags: Array<{ key: string; value: string }>;
  max_candidates: string;
  max_trial_runtime_seconds: string;
  max_job_runtime_seconds: string;
  validation_fraction: string;
  output_uri: string;
  role_arn: string;
  kms_key_id: string;
  vpc_security_group_ids: string;
  vpc_subnets: string;
  /** Candidates to run instead of generated ones (kept from a copied experiment). */
  candidate_plan: CandidatePlan | null;
}

/** Form fields that can carry an error message (API field names where they exist). */
export type FormField =
  | keyof IExperimentForm
  | 'vpc_config'
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
  problem_type: 'target',
  objective_metric: 'target',
  mode: 'settings',
  training_mode: 'settings',
  name: 'settings',
  description: 'settings',
  project: 'settings',
  tags: 'settings',
  max_candidates: 'settings',
  max_trial_runtime_seconds: 'settings',
  max_job_runtime_seconds: 'settings',
  validation_fraction: 'settings',
  output_uri: 'settings',
  role_arn: 'settings',
  kms_key_id: 'settings',
  vpc_config: 'settings',
  vpc_security_group_ids: 'settings',
  vpc_subnets: 'settings',
  seed: 'settings',
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
    problem_type: 'auto',
    objective_metric: '',
    mode: 'complete',
    training_mode: 'auto',
    name: '',
    description: '',
    project: '',
    tags: [],
    max_candidates: '',
    max_trial_runtime_seconds: '',
    max_job_runtime_seconds: '',
    validation_fraction: '0.2',
    output_uri: '',
    role_arn: '',
    kms_key_id: '',
    vpc_security_group_ids: '',
    vpc_subnets: '',
    candidate_plan: null,
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
    problem_type: spec.problem_type,
    objective_metric: spec.objective_metric ?? '',
    mode: spec.mode,
    training_mode: spec.training_mode,
    name: spec.name,
    description: spec.description ?? '',
    project: spec.project ?? '',
    tags: (spec.tags ?? []).map(t => ({ key: t.key, value: t.value })),
    max_candidates: text(spec.max_candidates),
    max_trial_runtime_seconds: text(spec.max_trial_runtime_seconds),
    max_job_runtime_seconds: text(spec.max_job_runtime_seconds),
    validation_fraction: String(spec.validation_fraction),
    output_uri: spec.output_uri ?? '',
    role_arn: spec.role_arn ?? '',
    kms_key_id: spec.kms_key_id ?? '',
    vpc_security_group_ids: (spec.vpc_config?.security_group_ids ?? []).join(
      ', '
    ),
    vpc_subnets: (spec.vpc_config?.subnets ?? []).join(', '),
    candidate_plan: spec.candidate_plan ?? null
  });
}

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
  if (columns) {
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

/** The message of an experiment name that is taken. */
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

/** The first step with an error, or null. */
export function firstStepWithErrors(errors: FormErrors): Step | null {
  for (const step of STEPS) {
    if (Object.keys(errorsOfStep(errors, step)).length) {
      return step;
    }
  }
  return null;
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
    exclude_columns: form.exclude_columns.filter(c => c !== form.target),
    output_uri: s3 ? str(form.output_uri) : null,
    problem_type: form.problem_type,
    objective_metric:
      form.objective_metric === '' ? null : form.objective_metric,
    mode: form.mode,
    training_mode: form.training_mode,
    role_arn: s3 ? str(form.role_arn) : null,
    kms_key_id: s3 ? str(form.kms_key_id) : null,
    vpc_config:
      s3 && groups.length && subnets.length
        ? { security_group_ids: groups, subnets }
        : null,
    max_candidates: num(form.max_candidates),
    max_trial_runtime_seconds: num(form.max_trial_runtime_seconds),
    max_job_runtime_seconds: num(form.max_job_runtime_seconds),
    validation_fraction: Number(form.validation_fraction),
    seed: 0,
    // Generated candidates, unless the copied experiment ran a plan (an imported notebook).
    candidate_plan: form.candidate_plan
  };
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
