/**
 * "Run on SageMaker": the local wizard's form as the sagemaker backend's, with the
 * files to upload to S3 and the settings SageMaker cannot take (named, never
 * silently dropped). Pure, so jest covers every rule.
 */
import type {
  AutoMLAlgorithm,
  ObjectiveMetric,
  ProblemType
} from '../api/types';
import type { Trans } from '../logic/trans';
import type { FormField, IExperimentForm } from './form';

/** What SageMaker takes, from the sagemaker backend's health (`defaults`). */
export interface ISageMakerOffer {
  metricsByProblemType: Partial<
    Record<ProblemType, readonly ObjectiveMetric[]>
  >;
  /** The algorithms one may choose per training mode; a mode that is absent takes no choice. */
  algorithmsByMode?: Partial<Record<string, readonly AutoMLAlgorithm[]>>;
}

/** A setting the local form had that the SageMaker experiment does not get. */
export interface ILeftBehind {
  field: FormField;
  /** What was set, as the user would recognise it. */
  setting: string;
  /** Why SageMaker cannot take it, and what to do instead. */
  reason: string;
}

/** A local file that goes to S3 before the experiment can use it. */
export interface IUpload {
  /** The form field that gets the file's s3:// URI. */
  field: 'input_uri' | 'validation_file';
  /** The file under the Jupyter root. */
  path: string;
}

/** The sagemaker wizard's start. */
export interface ITransfer {
  /** The form on the sagemaker backend (file fields still local until uploaded). */
  form: IExperimentForm;
  /** In order: the training file first. */
  uploads: IUpload[];
  leftBehind: ILeftBehind[];
}

/** The training mode SageMaker runs `form` in (a pilot run is hyperparameter tuning). */
function sageMakerMode(form: IExperimentForm): string {
  return form.mode === 'pilot' ? 'hyperparameter_tuning' : form.training_mode;
}

/**
 * The local wizard's `form` for the sagemaker backend: every setting SageMaker
 * takes is kept (name, description, project, tags, target, excluded columns,
 * problem type, metric, run and training mode, algorithms it offers in that mode,
 * budgets, sample weights in ensembling mode, the validation share or file, the
 * forecast block but its backtest windows); the files are to be uploaded (Upload to S3 converts them to commas, so the delimiter
 * is detected again); the rest is listed in `leftBehind`.
 */
export function formForSageMaker(
  form: IExperimentForm,
  offer: ISageMakerOffer,
  trans: Trans
): ITransfer {
  const leftBehind: ILeftBehind[] = [];
  const next: IExperimentForm = {
    ...form,
    // Upload to S3 writes comma-separated CSV, whatever the local file used.
    delimiter: '',
    manifest: false,
    // AWS-only settings: the backend's defaults unless the user sets them.
    output_uri: '',
    role_arn: '',
    kms_key_id: '',
    vpc_security_group_ids: '',
    vpc_subnets: ''
  };
  const uploads: IUpload[] = [];
  const input = form.input_uri.trim();
  if (input && !input.startsWith('s3://')) {
    uploads.push({ field: 'input_uri', path: input });
  }

  if (form.objective_metric) {
    const lists =
      form.problem_type === 'auto'
        ? Object.values(offer.metricsByProblemType)
        : [offer.metricsByProblemType[form.problem_type] ?? []];
    const offered = lists.some(l =>
      (l ?? []).includes(form.objective_metric as ObjectiveMetric)
    );
    if (!offered) {
      next.objective_metric = '';
      leftBehind.push({
        field: 'objective_metric',
        setting: trans.__('Objective metric %1', form.objective_metric),
        reason: trans.__(
          'SageMaker does not offer it for this problem type; it uses its default metric.'
        )
      });
    }
  }

  if (form.algorithms.length) {
    const mode = sageMakerMode(form);
    const allowed = offer.algorithmsByMode?.[mode];
    const kept = allowed
      ? form.algorithms.filter(a => allowed.includes(a))
      : [];
    const dropped = form.algorithms.filter(a => !kept.includes(a));
    if (dropped.length) {
      next.algorithms = kept;
      leftBehind.push({
        field: 'algorithms',
        setting: trans.__('Algorithms %1', dropped.join(', ')),
        reason: allowed
          ? trans.__(
              'SageMaker does not train them in this training mode (it offers %1).',
              allowed.join(', ')
            )
          : trans.__(
              'SageMaker takes a choice of algorithms in the ensembling and hyperparameter-tuning training modes only; it chooses them itself.'
            )
      });
    }
  }

  if (
    form.sample_weight &&
    (form.mode === 'pilot' || form.training_mode !== 'ensembling')
  ) {
    next.sample_weight = '';
    leftBehind.push({
      field: 'sample_weight',
      setting: trans.__('Sample weight column %1', form.sample_weight),
      reason: trans.__(
        'SageMaker supports sample weights in the ensembling training mode of a complete run only: choose it under Settings and name the column again.'
      )
    });
  }

  if (form.validation_source === 'file') {
    const file = form.validation_file.trim();
    if (file && !file.startsWith('s3://')) {
      uploads.push({ field: 'validation_file', path: file });
    }
  }

  if (form.reproducible) {
    next.reproducible = false;
    leftBehind.push({
      field: 'reproducible',
      setting: trans.__('Reproducible mode'),
      reason: trans.__(
        'SageMaker Autopilot has no setting that makes two jobs give the same leaderboard.'
      )
    });
  }

  if (form.problem_type === 'TimeSeriesForecasting') {
    // SageMaker's forecasting job: Autopilot chooses the backtest windows and trains a
    // fixed set of algorithms (MaxCandidates takes only 1). An item-id column it needs
    // cannot be made up here: the sagemaker wizard asks for it.
    const windows = form['forecast.backtest_windows'].trim();
    if (windows !== '' && windows !== '1') {
      next['forecast.backtest_windows'] = '';
      leftBehind.push({
        field: 'forecast.backtest_windows',
        setting: trans.__('%1 backtest windows', windows),
        reason: trans.__(
          'SageMaker Autopilot chooses its own backtest windows.'
        )
      });
    }
    const candidates = form.max_candidates.trim();
    if (candidates !== '' && candidates !== '1') {
      next.max_candidates = '';
      leftBehind.push({
        field: 'max_candidates',
        setting: trans.__('Max candidates %1', candidates),
        reason: trans.__(
          'A SageMaker forecasting job trains its own set of algorithms and their ensemble; bound it by its runtime instead.'
        )
      });
    }
  }

  if (form.candidate_plan) {
    next.candidate_plan = null;
    leftBehind.push({
      field: 'candidate_plan',
      setting: trans.__('The candidate plan of a re-run notebook'),
      reason: trans.__(
        'It runs on the local backend only; SageMaker generates its own candidates.'
      )
    });
  }

  return { form: next, uploads, leftBehind };
}

/** Whether a local preview's failure says the file is too big for this machine. */
export function tooBigHere(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'dataset_too_large'
  );
}
