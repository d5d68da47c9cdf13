import { nullTranslator } from '@jupyterlab/translation';

import type { Prediction, RowExplanation } from '../../api/types';
import {
  compareScenarios,
  contributionBars,
  contributionSpec,
  formatContribution,
  IScenario,
  probabilityOf,
  shortValue,
  spaceText
} from '../explanations';

const trans = nullTranslator.load('jupyter_autopilot');
function pred(p: Partial<Prediction>): Prediction {
  return {
    predicted_label: null,
    probability: null,
    labels: null,
    probabilities: null,
    ...p
  };
}

const texts = { missing: 'missing', other: (n: number) => `${n} others` };

function row(contributions: Array<[string, unknown, number]>): RowExplanation {
  return {
    label: 'yes',
    output: 0,
    base_value: 0,
    contributions: contributions.map(([column, value, contribution]) => ({
      column,
      value,
      contribution
    }))
  };
}

function scenario(
  values: Record<string, string>,
  yes: number,
  label = yes >= 0.5 ? 'yes' : 'no'
): IScenario {
  const prediction = pred({
    predicted_label: label,
    labels: ['no', 'yes'],
    probabilities: [1 - yes, yes]
  });
  return {
    values,
    prediction,
    explanation: row([]),
    space: 'log_odds',
    method: 'tree_shap'
  };
}

describe('contributionBars', () => {
  it('puts the largest magnitude first and names column and value', () => {
    const bars = contributionBars(
      row([
        ['age', 41, 0.1],
        ['job', 'admin', -0.5],
        ['balance', null, 0.2]
      ]),
      texts
    );
    expect(bars.map(b => b.feature)).toEqual([
      'job = admin',
      'balance = missing',
      'age = 41'
    ]);
    expect(bars.map(b => b.direction)).toEqual(['down', 'up', 'up']);
  });

  it('sums the columns past the top into one bar, so the bars still add up', () => {
    const items: Array<[string, unknown, number]> = [
      ['a', 1, 4],
      ['b', 1, -3],
      ['c', 1, 0.5],
      ['d', 1, -0.25]
    ];
    const bars = contributionBars(row(items), texts, 2);
    expect(bars.map(b => b.feature)).toEqual(['a = 1', 'b = 1', '2 others']);
    expect(bars[2].contribution).toBeCloseTo(0.25);
    const total = bars.reduce((s, b) => s + b.contribution, 0);
    expect(total).toBeCloseTo(1.25);
  });
});

describe('contributionSpec', () => {
  it('keeps the bars in the given order and colours by direction', () => {
    const bars = contributionBars(
      row([
        ['x', 1, -1],
        ['y', 2, 2]
      ]),
      texts
    );
    const spec = contributionSpec(bars, { axis: 'Contribution', feature: 'C' });
    const values = (spec as any).data.values;
    expect(values.map((v: any) => [v.feature, v.order])).toEqual([
      ['y = 2', 0],
      ['x = 1', 1]
    ]);
    expect((spec as any).encoding.y.sort).toEqual({ field: 'order' });
    expect((spec as any).encoding.color.field).toBe('direction');
  });
});

describe('texts', () => {
  it('names the space and formats numbers in it', () => {
    expect(spaceText('log_odds', 'yes', trans)).toBe('log-odds of yes');
    expect(spaceText('probability', 'no', trans)).toBe('probability of no');
    expect(spaceText('value', null, trans)).toBe('predicted value');
    expect(formatContribution(0.125, 'probability')).toBe('+12.5 pts');
    expect(formatContribution(-1.23456, 'log_odds')).toBe('−1.23');
    expect(formatContribution(-0.0001, 'probability')).toBe('0.0 pts');
    expect(shortValue(3.14159265, '-')).toBe('3.142');
    expect(shortValue('', 'missing')).toBe('missing');
  });
});

describe('compareScenarios', () => {
  const columns = ['age', 'job'];

  it('lists the edited columns and the probability move of the explained class', () => {
    const a = scenario({ age: '30', job: 'admin' }, 0.2);
    const b = scenario({ age: '61', job: 'admin ' }, 0.7);
    const delta = compareScenarios(a, b, columns);
    expect(delta.changed).toEqual(['age']);
    expect(delta.label).toBe('yes');
    expect(delta.delta).toBeCloseTo(0.5);
    expect(delta.labelChanged).toBe(true);
  });

  it('compares predicted numbers for regression', () => {
    const a: IScenario = {
      values: { age: '1' },
      prediction: pred({ predicted_label: 10 }),
      explanation: { ...row([]), label: null },
      space: 'value',
      method: 'linear'
    };
    const b = {
      ...a,
      values: { age: '2' },
      prediction: pred({ predicted_label: 7 })
    };
    const delta = compareScenarios(a, b, ['age']);
    expect(delta.delta).toBe(-3);
    expect(delta.label).toBeNull();
  });

  it('reads a class probability only when the endpoint returned it', () => {
    expect(probabilityOf(pred({ predicted_label: 'yes' }), 'yes')).toBeNull();
    expect(
      probabilityOf(
        pred({ labels: ['no', 'yes'], probabilities: [0.3, 0.7] }),
        'no'
      )
    ).toBeCloseTo(0.3);
  });
});
