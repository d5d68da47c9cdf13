/** Small API objects for the unit tests. */
import type {
  Candidate,
  ColumnSummary,
  Experiment,
  ExperimentSummary,
  ImportedCandidate,
  PlannedCandidate,
  SageMakerNotebookImport,
  Stage
} from '../api/types';

export function stage(partial: Partial<Stage> & Pick<Stage, 'name'>): Stage {
  return {
    title: partial.name,
    status: 'pending',
    started_at: null,
    ended_at: null,
    message: null,
    progress: null,
    ...partial
  };
}

export function summary(
  partial: Partial<ExperimentSummary> & { name: string }
): ExperimentSummary {
  return {
    backend: 'local',
    status: 'Completed',
    current_stage: null,
    stages: [],
    problem_type: 'binary',
    objective: { metric: 'F1', goal: 'Maximize' },
    best_candidate: null,
    candidates_completed: 0,
    created_at: '2026-01-01T00:00:00Z',
    ended_at: null,
    failure_reason: null,
    tags: [],
    mode: 'complete',
    dry_run: false,
    ...partial
  };
}

export function experiment(partial: Partial<Experiment> = {}): Experiment {
  return {
    ...summary({ name: 'exp' }),
    spec: {
      name: 'exp',
      tags: [],
      project: null,
      description: null,
      input_uri: 'data.csv',
      manifest: false,
      delimiter: null,
      target: 'y',
      exclude_columns: [],
      sample_weight: null,
      algorithms: [],
      output_uri: null,
      problem_type: 'auto',
      objective_metric: null,
      mode: 'complete',
      training_mode: 'auto',
      role_arn: null,
      kms_key_id: null,
      vpc_config: null,
      max_candidates: null,
      max_trial_runtime_seconds: null,
      max_job_runtime_seconds: null,
      validation_fraction: 0.2,
      validation_file: null,
      seed: 0,
      reproducible: false,
      candidate_plan: null,
      forecast: null
    },
    budget: null,
    secondary_status: null,
    status_message: null,
    started_at: null,
    updated_at: null,
    warnings: [],
    can_rerun: false,
    can_extend: false,
    history: [],
    backend_details: {},
    ...partial
  };
}

export function candidate(
  partial: Partial<Candidate> & { name: string }
): Candidate {
  return {
    status: 'Completed',
    algorithm: 'lightgbm',
    preprocessing: null,
    deployable: true,
    definition: null,
    hyperparameters: {},
    objective_metric: 'F1',
    objective_value: null,
    metrics: {},
    train_metrics: {},
    started_at: null,
    ended_at: null,
    duration_seconds: null,
    is_best: false,
    is_ensemble: false,
    rank: null,
    failure_reason: null,
    training_job_name: null,
    ...partial
  };
}

export function column(
  partial: Partial<ColumnSummary> & { name: string }
): ColumnSummary {
  return {
    inferred_type: 'categorical',
    dtype: 'str',
    missing_count: 0,
    missing_fraction: 0,
    unique_count: 3,
    examples: ['a', 'b', 'c'],
    ...partial
  };
}

export function importedCandidate(
  name: string,
  local: string | null
): ImportedCandidate {
  const [dpp, ...algorithm] = name.split('-');
  return {
    name,
    data_transformer: dpp,
    algorithm: algorithm.join('-'),
    transformers: ['RobustImputer', 'ThresholdOneHotEncoder'],
    description: '',
    local_algorithm: local,
    hyperparameter_ranges: {},
    notes: []
  };
}

export function plannedCandidate(
  name: string,
  algorithm: PlannedCandidate['algorithm']
): PlannedCandidate {
  return {
    name,
    algorithm,
    description: '',
    fixed: {},
    max_boosting_rounds: null,
    recipe: {} as PlannedCandidate['recipe'],
    search_space: {
      max_depth: { kind: 'int', low: 2, high: 8, log: true, choices: null }
    }
  };
}

/**
 * The bank job of tests/support/autopilot_notebook.py as the import answers it, plus
 * one candidate with no local equivalent.
 */
export function notebookImport(
  partial: Partial<SageMakerNotebookImport> = {}
): SageMakerNotebookImport {
  return {
    path: 'sagemaker-job/SageMakerAutopilotCandidateDefinitionNotebook.ipynb',
    job_name: 'bank-autopilot',
    target: 'y',
    problem_type: 'binary',
    objective_metric: 'F1',
    sagemaker_metric: 'F1',
    n_columns: 21,
    data_location: null,
    generated_module:
      'sagemaker-job/bank-autopilot-artifacts/generated_module/candidate_data_processors',
    candidates: [
      importedCandidate('dpp0-xgboost', 'xgboost'),
      importedCandidate('dpp1-xgboost', 'xgboost'),
      importedCandidate('dpp2-linear-learner', 'linear'),
      importedCandidate('dpp3-knn', null)
    ],
    warnings: [],
    plan: {
      source: 'SageMaker Autopilot job bank-autopilot',
      candidates: [
        plannedCandidate('dpp0-xgboost', 'xgboost'),
        plannedCandidate('dpp1-xgboost', 'xgboost'),
        plannedCandidate('dpp2-linear-learner', 'linear')
      ],
      column_types: { age: 'numeric', job: 'categorical' }
    },
    ...partial
  };
}

/** The minimised metrics, as the server's health lists them (Health.defaults.minimized_metrics). */
export const MINIMIZED_METRICS = [
  'AverageWeightedQuantileLoss',
  'LogLoss',
  'MAE',
  'MAPE',
  'MASE',
  'MSE',
  'RMSE',
  'WAPE'
];
