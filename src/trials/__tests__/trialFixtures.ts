/**
 * Trials of two experiments the trials view's tests share.
 */
import type { Trial } from '../../api/types';

/** A trial with sensible defaults (a completed binary-classification trial). */
export function trial(
  partial: Partial<Trial> & { name: string; experiment: string }
): Trial {
  return {
    status: 'Completed',
    algorithm: 'lightgbm',
    preprocessing: 'trees',
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
    experiment_status: 'Completed',
    problem_type: 'binary',
    objective_goal: 'Maximize',
    ...partial
  };
}

export const a1 = trial({
  name: 'lightgbm-t001',
  experiment: 'alpha',
  objective_value: 0.8,
  metrics: { F1: 0.8, LogLoss: 0.4, AUC: 0.9 },
  train_metrics: { F1: 0.9 },
  hyperparameters: { learning_rate: 0.1, num_leaves: 31, metric: 'binary' },
  started_at: '2026-01-01T10:00:00Z',
  ended_at: '2026-01-01T10:00:05Z',
  duration_seconds: 5,
  rank: 2
});
export const a2 = trial({
  name: 'linear-t002',
  experiment: 'alpha',
  algorithm: 'linear',
  objective_value: 0.85,
  metrics: { F1: 0.85, LogLoss: 0.35, AUC: 0.88 },
  hyperparameters: { C: 1, class_weight: null },
  started_at: '2026-01-01T10:00:06Z',
  ended_at: '2026-01-01T10:00:07Z',
  duration_seconds: 1,
  is_best: true,
  rank: 1
});
export const b1 = trial({
  name: 'lightgbm-t001',
  experiment: 'beta',
  objective_value: 0.7,
  metrics: { F1: 0.7, LogLoss: 0.5 },
  hyperparameters: { learning_rate: 0.001, num_leaves: 15, metric: 'binary' },
  started_at: '2026-01-02T10:00:00Z',
  ended_at: '2026-01-02T10:00:03Z',
  duration_seconds: 3,
  rank: 1
});
export const b2 = trial({
  name: 'xgboost-t002',
  experiment: 'beta',
  algorithm: 'xgboost',
  status: 'InProgress',
  started_at: '2026-01-02T10:00:04Z',
  experiment_status: 'InProgress'
});
export const all = [a1, a2, b1, b2];
