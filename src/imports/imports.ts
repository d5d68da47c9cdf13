/**
 * Re-running a SageMaker Autopilot candidate-definition notebook locally: the default
 * experiment name, which candidates can run, and the experiment request built from the
 * imported notebook and the dialog's fields. Pure functions, tested on their own.
 */
import type {
  CandidatePlan,
  ExperimentSpec,
  ImportedCandidate,
  SageMakerNotebookImport
} from '../api/types';
import { nameTakenMessage, parseNumber } from '../create/validation';
import { nameProblem, uniqueName } from '../logic/names';
import { identityTrans, Trans } from '../logic/trans';

/** The longest experiment name (SageMaker's rule). */
const MAX_NAME_LENGTH = 32;
/** What the default experiment name ends with. */
const NAME_SUFFIX = '-local';
/** The dialog's default budget of a re-run (seconds). */
export const DEFAULT_IMPORT_RUNTIME_SECONDS = 300;
/** The largest job runtime the server accepts (30 days, as ExperimentSpec says). */
const MAX_JOB_RUNTIME_SECONDS = 2592000;

/** What the import dialog's form holds; numbers stay text until checked. */
export interface IImportForm {
  /** The training data: a CSV path under the server root. */
  input_uri: string;
  name: string;
  /** '' = the backend's default. */
  max_job_runtime_seconds: string;
  /** Names of the candidates to run. */
  selected: string[];
}

/** Whether a path names a notebook (what the import command accepts). */
export function isNotebookPath(path: string | null | undefined): boolean {
  return !!path && /\.ipynb$/i.test(path.trim());
}

/**
 * A valid experiment name for the re-run of job `jobName`: `<job>-local`, with
 * characters SageMaker refuses replaced by hyphens, shortened to 32 characters
 * (the job part is cut, the suffix kept) and unique among `taken`.
 */
export function importedExperimentName(
  jobName: string,
  taken: Iterable<string> = []
): string {
  const job = jobName
    .replace(/[^a-zA-Z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_NAME_LENGTH - NAME_SUFFIX.length)
    .replace(/-+$/, '');
  const name = `${job || 'sagemaker'}${NAME_SUFFIX}`;
  return uniqueName(name, new Set(taken), MAX_NAME_LENGTH);
}

/**
 * Whether a candidate of the notebook can run here: it has a local algorithm family
 * and the import's plan has it.
 */
export function isRunnable(
  imported: Pick<SageMakerNotebookImport, 'plan'>,
  candidate: Pick<ImportedCandidate, 'name' | 'local_algorithm'>
): boolean {
  return (
    candidate.local_algorithm !== null &&
    candidate.local_algorithm !== undefined &&
    !!imported.plan?.candidates.some(c => c.name === candidate.name)
  );
}

/** Names of the candidates that can run locally, in the notebook's order. */
export function runnableCandidates(
  imported: Pick<SageMakerNotebookImport, 'plan' | 'candidates'>
): string[] {
  return imported.candidates
    .filter(c => isRunnable(imported, c))
    .map(c => c.name);
}

/** "xgboost → xgboost", or "mlp → not available locally". */
export function algorithmMapping(
  candidate: Pick<ImportedCandidate, 'algorithm' | 'local_algorithm'>,
  trans: Trans = identityTrans
): string {
  return `${candidate.algorithm} → ${
    candidate.local_algorithm ?? trans.__('not available locally')
  }`;
}

/** The dialog's first values: every runnable candidate selected, 300 s. */
export function defaultImportForm(
  imported: Pick<SageMakerNotebookImport, 'job_name' | 'plan' | 'candidates'>,
  taken: Iterable<string> = []
): IImportForm {
  return {
    input_uri: '',
    name: importedExperimentName(imported.job_name, taken),
    max_job_runtime_seconds: String(DEFAULT_IMPORT_RUNTIME_SECONDS),
    selected: runnableCandidates(imported)
  };
}

/** Select or unselect a candidate, keeping the notebook's order. */
export function toggleCandidate(
  imported: Pick<SageMakerNotebookImport, 'candidates'>,
  selected: string[],
  name: string,
  on: boolean
): string[] {
  const next = new Set(selected);
  if (on) {
    next.add(name);
  } else {
    next.delete(name);
  }
  return imported.candidates.map(c => c.name).filter(n => next.has(n));
}

/**
 * The plan of the import restricted to the `selected` candidates (null when the
 * import has no plan or none of its candidates is selected).
 */
export function selectedPlan(
  plan: CandidatePlan | null | undefined,
  selected: string[]
): CandidatePlan | null {
  if (!plan) {
    return null;
  }
  const wanted = new Set(selected);
  const candidates = plan.candidates.filter(c => wanted.has(c.name));
  return candidates.length ? { ...plan, candidates } : null;
}

/**
 * The problems of the form, by ExperimentSpec field (`input_uri`, `name`,
 * `max_job_runtime_seconds`) and `candidate_plan` for the candidate selection.
 * Empty when the form can be sent.
 */
export function importFormErrors(
  imported: Pick<SageMakerNotebookImport, 'plan' | 'candidates'>,
  form: IImportForm,
  trans: Trans = identityTrans,
  takenNames: string[] = []
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.input_uri.trim()) {
    errors.input_uri = trans.__(
      'Enter the path of the training data: a CSV file under the Jupyter root.'
    );
  }
  const name = form.name.trim();
  const nameError = nameProblem(
    name,
    MAX_NAME_LENGTH,
    trans.__('experiment'),
    trans
  );
  if (nameError) {
    errors.name = nameError;
  } else if (takenNames.includes(name)) {
    errors.name = nameTakenMessage(name, trans);
  }
  const runtime = parseNumber(
    form.max_job_runtime_seconds,
    { integer: true, min: 1, max: MAX_JOB_RUNTIME_SECONDS },
    trans
  );
  if (runtime.error) {
    errors.max_job_runtime_seconds = runtime.error;
  }
  const runnable = runnableCandidates(imported);
  if (!runnable.length) {
    errors.candidate_plan = trans.__(
      'None of the notebook’s candidates can run locally.'
    );
  } else if (!form.selected.some(n => runnable.includes(n))) {
    errors.candidate_plan = trans.__('Select at least one candidate to run.');
  }
  return errors;
}

/**
 * The experiment request that re-runs the selected candidates of an imported
 * notebook on `form.input_uri`, or the form's problems (see `importFormErrors`).
 */
export function importSpec(
  imported: SageMakerNotebookImport,
  form: IImportForm,
  trans: Trans = identityTrans,
  takenNames: string[] = []
): { spec: ExperimentSpec | null; errors: Record<string, string> } {
  const errors = importFormErrors(imported, form, trans, takenNames);
  const runnable = runnableCandidates(imported);
  const plan = selectedPlan(
    imported.plan,
    form.selected.filter(n => runnable.includes(n))
  );
  if (Object.keys(errors).length || !plan) {
    return { spec: null, errors };
  }
  const runtime = form.max_job_runtime_seconds.trim();
  const spec: ExperimentSpec = {
    name: form.name.trim(),
    tags: [],
    project: null,
    description: trans
      .__(
        'Candidates of the SageMaker Autopilot job %1 (%2), re-run locally.',
        imported.job_name,
        imported.path
      )
      .slice(0, 1024),
    input_uri: form.input_uri.trim(),
    manifest: false,
    delimiter: null,
    target: imported.target,
    exclude_columns: [],
    sample_weight: null,
    output_uri: null,
    problem_type: imported.problem_type,
    objective_metric: imported.objective_metric ?? null,
    mode: 'complete',
    training_mode: 'auto',
    // No forecast step in the form yet (issue #19's next slice).
    forecast: null,
    role_arn: null,
    kms_key_id: null,
    vpc_config: null,
    max_candidates: null,
    max_trial_runtime_seconds: null,
    max_job_runtime_seconds: runtime === '' ? null : Number(runtime),
    validation_fraction: 0.2,
    validation_file: null,
    reproducible: false,
    seed: 0,
    candidate_plan: plan
  };
  return { spec, errors };
}
