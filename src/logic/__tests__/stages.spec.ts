import { experiment, stage, summary } from '../../__tests__/fixtures';
import {
  anyStageRunning,
  currentStageTitle,
  experimentStatusLabel,
  stageElapsed,
  stagesProgress,
  stageStatusLabel,
  statusLabel,
  statusSentence
} from '../stages';

describe('stages', () => {
  const now = Date.parse('2026-01-01T00:01:00Z');

  it('measures elapsed time, live while running', () => {
    expect(stageElapsed(stage({ name: 'pre_processing' }), now)).toBeNull();
    expect(
      stageElapsed(
        stage({
          name: 'pre_processing',
          status: 'running',
          started_at: '2026-01-01T00:00:30Z'
        }),
        now
      )
    ).toBe(30);
    expect(
      stageElapsed(
        stage({
          name: 'pre_processing',
          status: 'done',
          started_at: '2026-01-01T00:00:00Z',
          ended_at: '2026-01-01T00:00:05Z'
        }),
        now
      )
    ).toBe(5);
    // A failed stage without an end does not keep counting.
    expect(
      stageElapsed(
        stage({
          name: 'model_tuning',
          status: 'failed',
          started_at: '2026-01-01T00:00:00Z'
        }),
        now
      )
    ).toBe(0);
  });

  it('knows when something runs and how far it is', () => {
    const stages = [
      stage({ name: 'pre_processing', status: 'done' }),
      stage({ name: 'candidate_definitions', status: 'skipped' }),
      stage({ name: 'feature_engineering', status: 'running', progress: 0.5 }),
      stage({ name: 'model_tuning' })
    ];
    expect(anyStageRunning(stages)).toBe(true);
    expect(stagesProgress(stages)).toBeCloseTo(2.5 / 4);
    expect(stagesProgress([])).toBe(0);
    expect(anyStageRunning([stages[0]])).toBe(false);
  });

  it('labels statuses in words', () => {
    expect(stageStatusLabel('running')).toBe('In progress');
    expect(stageStatusLabel('done')).toBe('Completed');
    expect(experimentStatusLabel('InProgress')).toBe('In progress');
    expect(experimentStatusLabel('Interrupted')).toBe('Interrupted');
  });

  it('names the current stage', () => {
    const running = summary({
      name: 'x',
      status: 'InProgress',
      stages: [
        stage({
          name: 'model_tuning',
          title: 'Model Tuning',
          status: 'running'
        })
      ]
    });
    expect(currentStageTitle(running)).toBe('Model Tuning');
    expect(
      currentStageTitle(
        summary({
          name: 'x',
          current_stage: 'pre_processing',
          stages: [stage({ name: 'pre_processing', title: 'Pre-processing' })]
        })
      )
    ).toBe('Pre-processing');
    expect(currentStageTitle(summary({ name: 'x' }))).toBeNull();
  });

  it('says where the experiment stands', () => {
    expect(
      statusSentence(
        experiment({ status: 'Failed', failure_reason: 'Out of memory.' })
      )
    ).toBe('Failed: Out of memory.');
    expect(statusSentence(experiment({ status: 'Interrupted' }))).toMatch(
      /Re-run/
    );
    expect(
      statusSentence(
        experiment({
          status: 'InProgress',
          stages: [
            stage({
              name: 'model_tuning',
              status: 'running',
              message: '2 trials; best F1 0.66'
            })
          ]
        })
      )
    ).toBe('Running: 2 trials; best F1 0.66.');
    const pilot = experiment({ status: 'Completed' });
    pilot.spec.mode = 'pilot';
    expect(statusSentence(pilot)).toMatch(/Pilot run complete/);
    expect(statusSentence(experiment({ status: 'Completed' }))).toMatch(
      /ready to deploy/
    );
  });
});

describe('statusLabel', () => {
  it.each([
    ['InService', 'In service'],
    ['OutOfService', 'Out of service'],
    ['InProgress', 'In progress'],
    ['Pruned', 'Pruned'],
    ['Whatever', 'Whatever']
  ])('%p -> %p', (status, label) => {
    expect(statusLabel(status)).toBe(label);
  });
});
