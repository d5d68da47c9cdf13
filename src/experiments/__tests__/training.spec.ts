import * as React from 'react';
import { act } from 'react';

import { mountPoint } from '../../__tests__/dom';
import { candidate } from '../../__tests__/fixtures';
import { Leaderboard } from '../Leaderboard';
import {
  bestPoint,
  TRAINING_COLORS,
  TrainingCurve,
  trainingCurveSpec,
  TrainingFinding,
  trainingPoints
} from '../trainingCharts';
import { TrainingInsight } from '../TrainingInsight';

const TEXTS = {
  iteration: 'Iteration',
  train: 'Training',
  validation: 'Validation',
  best: 'Iteration kept',
  lowerIsBetter: 'lower is better',
  higherIsBetter: 'higher is better'
};

function curve(partial: Partial<TrainingCurve> = {}): TrainingCurve {
  return {
    metric: 'binary_logloss',
    goal: 'minimize',
    iterations: [1, 2, 3, 4],
    train: [0.6, 0.4, 0.3, 0.25],
    validation: [0.62, 0.45, 0.41, 0.43],
    best_iteration: 3,
    train_rows: 480,
    ...partial
  };
}

describe('trainingPoints', () => {
  it('lists training then validation values per iteration', () => {
    const points = trainingPoints(curve(), TEXTS);
    expect(points).toHaveLength(8);
    expect(points[0]).toEqual({ iteration: 1, split: 'Training', value: 0.6 });
    expect(points[7]).toEqual({
      iteration: 4,
      split: 'Validation',
      value: 0.43
    });
  });

  it('skips values that are not finite numbers', () => {
    const points = trainingPoints(
      curve({ train: [0.6, NaN, 0.3, Infinity] }),
      TEXTS
    );
    expect(points.filter(p => p.split === 'Training')).toEqual([
      { iteration: 1, split: 'Training', value: 0.6 },
      { iteration: 3, split: 'Training', value: 0.3 }
    ]);
  });

  it('thins very long curves', () => {
    const n = 3000;
    const iterations = Array.from({ length: n }, (_, i) => i + 1);
    const points = trainingPoints(
      curve({
        iterations,
        train: iterations.map(i => 1 / i),
        validation: iterations.map(i => 2 / i)
      }),
      TEXTS
    );
    const validation = points.filter(p => p.split === 'Validation');
    expect(validation.length).toBeLessThanOrEqual(401);
    expect(validation[validation.length - 1].iteration).toBe(n);
  });
});

describe('trainingCurveSpec', () => {
  it('draws training vs validation lines and marks the iteration kept', () => {
    const spec = trainingCurveSpec(curve(), TEXTS) as any;
    expect(spec.layer).toHaveLength(3);
    const [lines, rule, point] = spec.layer;
    expect(lines.mark.type).toBe('line');
    expect(lines.encoding.x.field).toBe('iteration');
    expect(lines.encoding.y.title).toBe('binary_logloss (lower is better)');
    expect(lines.encoding.y.scale.zero).toBe(false);
    expect(lines.encoding.color.scale).toEqual({
      domain: ['Training', 'Validation'],
      range: TRAINING_COLORS
    });
    expect(lines.data.values).toHaveLength(8);
    expect(rule.mark.type).toBe('rule');
    expect(rule.data.values).toEqual([
      { iteration: 3, value: 0.41, split: 'Validation' }
    ]);
    // The point sits on the validation line, in its colour.
    expect(point.mark.type).toBe('point');
    expect(point.encoding.color.field).toBe('split');
    expect(point.encoding.tooltip[0].title).toBe('Iteration kept');
  });

  it('says when higher is better (AUC)', () => {
    const spec = trainingCurveSpec(
      curve({ metric: 'auc', goal: 'maximize' }),
      TEXTS
    ) as any;
    expect(spec.layer[0].encoding.y.title).toBe('auc (higher is better)');
  });

  it('draws no mark when the iteration kept is unknown or not recorded', () => {
    expect(
      (trainingCurveSpec(curve({ best_iteration: null }), TEXTS) as any).layer
    ).toHaveLength(1);
    expect(
      (trainingCurveSpec(curve({ best_iteration: 7 }), TEXTS) as any).layer
    ).toHaveLength(1);
    expect(bestPoint(curve())).toEqual({ iteration: 3, value: 0.41 });
    expect(bestPoint(curve({ best_iteration: 7 }))).toBeNull();
  });
});

describe('training insight in the panels', () => {
  const dom = mountPoint();

  const finding = (partial: Partial<TrainingFinding>): TrainingFinding => ({
    rule: 'overfitting',
    severity: 'warning',
    message: 'The validation loss rose.',
    suggestion: 'Lower the learning rate.',
    iteration: 40,
    ...partial
  });

  it('shows nothing without curves or findings', () => {
    act(() =>
      dom.root.render(
        React.createElement(TrainingInsight, {
          name: 't1',
          curves: [],
          findings: [],
          completed: true
        })
      )
    );
    expect(dom.container.innerHTML).toBe('');
  });

  it('lists the findings with their severity and suggestion', () => {
    act(() =>
      dom.root.render(
        React.createElement(TrainingInsight, {
          name: 't1',
          curves: [],
          findings: [
            finding({}),
            finding({
              rule: 'stalled_training',
              severity: 'info',
              message: 'Stopped improving early.',
              iteration: null
            })
          ],
          completed: true
        })
      )
    );
    const items = dom.container.querySelectorAll('li');
    expect(items).toHaveLength(2);
    expect(items[0].dataset.severity).toBe('warning');
    expect(items[0].querySelector('.jp-mod-warning')).not.toBeNull();
    expect(items[0].textContent).toContain(
      'Warning: Overfitting · iteration 40'
    );
    expect(items[0].textContent).toContain(
      'Suggestion: Lower the learning rate.'
    );
    expect(items[1].querySelector('.jp-mod-info')).not.toBeNull();
    expect(items[1].textContent).toContain('Note: Stalled training');
    expect(items[1].textContent).not.toContain('iteration');
  });

  it('draws a chart per curve and says which iteration was kept', async () => {
    await act(async () =>
      dom.root.render(
        React.createElement(TrainingInsight, {
          name: 't1',
          curves: [curve()],
          findings: [],
          completed: true
        })
      )
    );
    expect(
      dom.container.querySelectorAll('figure.jp-Autopilot-chart')
    ).toHaveLength(1);
    expect(dom.container.textContent).toContain(
      'Learning curve: binary_logloss per iteration'
    );
    expect(dom.container.textContent).toContain(
      'Early stopping kept iteration 3 of 4. Training values measured on 480 training rows.'
    );
    expect(dom.container.textContent).toContain(
      'No training rule fired for this candidate.'
    );
  });

  it('does not claim early stopping for curves read from a training log', async () => {
    // A SageMaker candidate: XGBoost logged all 120 rounds, validation best at 55.
    const iterations = Array.from({ length: 120 }, (_, i) => i + 1);
    await act(async () =>
      dom.root.render(
        React.createElement(TrainingInsight, {
          name: 'job-dpp0-xgb-000',
          curves: [
            curve({
              metric: 'logloss',
              iterations,
              train: iterations.map(i => 1 / i),
              validation: iterations.map(i => Math.abs(i - 55) / 100 + 0.3),
              best_iteration: 55,
              train_rows: null
            })
          ],
          findings: [],
          completed: true,
          keepsBest: false
        })
      )
    );
    expect(dom.container.textContent).toContain(
      'Best validation score at iteration 55 of 120 logged by the training job.'
    );
    expect(dom.container.textContent).not.toContain('Early stopping');
    expect(dom.container.textContent).not.toContain('training rows');
  });

  it('marks flagged trials on the leaderboard, with a tooltip', () => {
    act(() =>
      dom.root.render(
        React.createElement(Leaderboard, {
          candidates: [
            candidate({
              name: 'flagged',
              training_flags: ['overfitting', 'class_imbalance']
            }),
            candidate({ name: 'clean' })
          ],
          objectiveMetric: 'F1',
          selected: null,
          onSelect: () => undefined
        })
      )
    );
    const marks = dom.container.querySelectorAll('.jp-Autopilot-hintWarning');
    expect(marks).toHaveLength(1);
    const row = marks[0].closest('tr') as HTMLTableRowElement;
    expect(row.dataset.candidate).toBe('flagged');
    expect(marks[0].getAttribute('title')).toBe(
      'Training insight: Overfitting, Class imbalance (see the candidate details)'
    );
  });
});
