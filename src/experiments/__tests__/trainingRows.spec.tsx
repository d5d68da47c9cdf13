import * as React from 'react';
import { act } from 'react';

import { mountPoint } from '../../__tests__/dom';
import { candidate } from '../../__tests__/fixtures';
import { identityTrans } from '../../logic/trans';
import { trainingRowsTag } from '../../logic/trainingRows';
import { Leaderboard } from '../Leaderboard';

const dom = mountPoint();

// What the local engine reports on large data (engine/tuning.py `hyperparameters`).
const SAMPLED = {
  learning_rate: 0.05,
  training_rows: 100000,
  searched_on_sample: true
};
const REFIT = {
  learning_rate: 0.05,
  training_rows: 800000,
  searched_on_sample: false,
  refit_of: 'xgboost-trees-t003'
};

describe('trainingRowsTag', () => {
  it('tags a trial searched on a sample with the sample size', () => {
    expect(trainingRowsTag(SAMPLED, identityTrans)).toEqual({
      kind: 'sampled',
      label: 'sample',
      title: 'Searched on a 100,000-row sample'
    });
  });

  it('tags a refit with all its rows and the trial it refits', () => {
    expect(trainingRowsTag(REFIT, identityTrans)).toEqual({
      kind: 'refit',
      label: 'all rows',
      title: 'Refit on all 800,000 rows (of xgboost-trees-t003)'
    });
  });

  it('leaves ordinary trials untagged', () => {
    expect(trainingRowsTag({ learning_rate: 0.05 }, identityTrans)).toBeNull();
    expect(trainingRowsTag({}, identityTrans)).toBeNull();
    expect(trainingRowsTag(undefined, identityTrans)).toBeNull();
    expect(
      trainingRowsTag({ training_rows: 'many' }, identityTrans)
    ).toBeNull();
  });
});

describe('Leaderboard rows tag', () => {
  it('marks sampled and refit trials, with a tooltip, and nothing else', () => {
    act(() =>
      dom.root.render(
        React.createElement(Leaderboard, {
          candidates: [
            candidate({ name: 'sampled', hyperparameters: SAMPLED }),
            candidate({ name: 'refit', hyperparameters: REFIT }),
            candidate({ name: 'ensemble', is_ensemble: true })
          ],
          objectiveMetric: 'F1',
          selected: null,
          onSelect: () => undefined
        })
      )
    );
    const tags = Array.from(
      dom.container.querySelectorAll<HTMLElement>('.jp-Autopilot-rowsTag')
    );
    const byRow = Object.fromEntries(
      tags.map(tag => [
        (tag.closest('tr') as HTMLTableRowElement).dataset.candidate,
        tag
      ])
    );
    expect(Object.keys(byRow).sort()).toEqual(['refit', 'sampled']);
    expect(byRow.sampled.textContent).toBe('sample');
    expect(byRow.sampled.getAttribute('title')).toBe(
      'Searched on a 100,000-row sample'
    );
    expect(byRow.refit.textContent).toBe('all rows');
    expect(byRow.refit.getAttribute('title')).toBe(
      'Refit on all 800,000 rows (of xgboost-trees-t003)'
    );
  });
});
