import {
  candidate,
  MINIMIZED_METRICS,
  summary
} from '../../__tests__/fixtures';
import { isMaximized, setMinimizedMetrics } from '../metrics';
import {
  ariaSort,
  bestCandidate,
  candidateSortValue,
  compareValues,
  DEFAULT_EXPERIMENTS_VIEW,
  filterAndSortExperiments,
  metricColumns,
  sortByKey,
  sortCandidates,
  toggleSort
} from '../sorting';

// Metric direction comes from the server's health answer.
setMinimizedMetrics(MINIMIZED_METRICS);

const experiments = [
  summary({
    name: 'beta',
    status: 'Completed',
    created_at: '2026-01-02T00:00:00Z',
    best_candidate: { name: 'x', algorithm: null, objective_value: 0.7 }
  }),
  summary({
    name: 'alpha',
    status: 'InProgress',
    created_at: '2026-01-03T00:00:00Z'
  }),
  summary({
    name: 'gamma',
    status: 'Failed',
    created_at: '2026-01-01T00:00:00Z',
    best_candidate: { name: 'y', algorithm: null, objective_value: 0.9 }
  })
];

describe('filterAndSortExperiments', () => {
  const names = (view = {}) =>
    filterAndSortExperiments(experiments, {
      ...DEFAULT_EXPERIMENTS_VIEW,
      ...view
    }).map(e => e.name);

  it('puts the newest first by default', () => {
    expect(names()).toEqual(['alpha', 'beta', 'gamma']);
    expect(names({ order: 'asc' })).toEqual(['gamma', 'beta', 'alpha']);
  });
  it('sorts by name, status and objective', () => {
    expect(names({ sortBy: 'name', order: 'asc' })).toEqual([
      'alpha',
      'beta',
      'gamma'
    ]);
    expect(names({ sortBy: 'status', order: 'asc' })).toEqual([
      'alpha',
      'gamma',
      'beta'
    ]);
    expect(names({ sortBy: 'objective', order: 'desc' })).toEqual([
      'gamma',
      'beta',
      'alpha'
    ]);
  });
  it('filters by name and status', () => {
    expect(names({ search: 'AL' })).toEqual(['alpha']);
    expect(names({ status: 'active' })).toEqual(['alpha']);
    expect(names({ status: 'Failed' })).toEqual(['gamma']);
  });
  it('does not mutate its input', () => {
    const copy = [...experiments];
    names({ sortBy: 'name', order: 'asc' });
    expect(experiments).toEqual(copy);
  });
});

describe('sortCandidates', () => {
  const list = [
    candidate({
      name: 'a',
      objective_value: 0.6,
      metrics: { LogLoss: 0.3, AUC: 0.9 },
      duration_seconds: 5
    }),
    candidate({
      name: 'b',
      objective_value: 0.8,
      metrics: { LogLoss: 0.2, AUC: 0.95 },
      duration_seconds: 1
    }),
    candidate({ name: 'running', status: 'InProgress' }),
    candidate({ name: 'failed', status: 'Failed' }),
    candidate({
      name: 'c',
      objective_value: 0.7,
      metrics: { LogLoss: 0.25 },
      duration_seconds: 3
    })
  ];
  const names = (
    key: string,
    direction: 'best' | 'asc' | 'desc' = 'best',
    objective = 'F1'
  ) => sortCandidates(list, { key, direction }, objective).map(c => c.name);

  it('puts the best objective first whatever its goal', () => {
    expect(names('objective')).toEqual(['b', 'c', 'a', 'running', 'failed']);
    // With a minimised objective, smaller is better.
    expect(names('objective', 'best', 'RMSE')).toEqual([
      'a',
      'c',
      'b',
      'running',
      'failed'
    ]);
  });
  it('lists the delivered model first in the best order on the objective', () => {
    // A bagged model scored out of fold can sit below validation-split scores.
    const delivered = list.map(c =>
      c.name === 'a' ? { ...c, is_best: true, rank: 1 } : c
    );
    const order = (direction: 'best' | 'asc' | 'desc', key = 'objective') =>
      sortCandidates(delivered, { key, direction }, 'F1').map(c => c.name);
    expect(order('best')).toEqual(['a', 'b', 'c', 'running', 'failed']);
    // An explicit direction, or another column, sorts by the values alone.
    expect(order('desc')).toEqual(['b', 'c', 'a', 'running', 'failed']);
    expect(order('best', 'LogLoss')).toEqual([
      'b',
      'c',
      'a',
      'running',
      'failed'
    ]);
  });
  it('sorts metrics by their own goal', () => {
    expect(names('LogLoss')).toEqual(['b', 'c', 'a', 'running', 'failed']);
    // Without a value: running trials first, then completed ones, then failed ones.
    expect(names('AUC')).toEqual(['b', 'a', 'running', 'c', 'failed']);
    expect(names('duration')).toEqual(['b', 'c', 'a', 'running', 'failed']);
  });
  it('honours an explicit direction', () => {
    expect(names('objective', 'asc')).toEqual([
      'a',
      'c',
      'b',
      'running',
      'failed'
    ]);
    expect(names('name', 'desc').slice(0, 2)).toEqual(['running', 'failed']);
  });
  it('toggles between best and reversed', () => {
    let sort = toggleSort({ key: 'objective', direction: 'best' }, 'LogLoss');
    expect(sort).toEqual({ key: 'LogLoss', direction: 'best' });
    expect(ariaSort(sort, 'LogLoss')).toBe('ascending');
    sort = toggleSort(sort, 'LogLoss');
    expect(sort).toEqual({ key: 'LogLoss', direction: 'desc' });
    expect(ariaSort(sort, 'LogLoss')).toBe('descending');
    expect(ariaSort(sort, 'AUC')).toBe('none');
    expect(
      toggleSort({ key: 'objective', direction: 'best' }, 'objective', 'F1')
    ).toEqual({
      key: 'objective',
      direction: 'asc'
    });
  });
  it('lists metric columns and finds the best', () => {
    expect(metricColumns(list, 'LogLoss')).toEqual(['AUC']);
    expect(
      bestCandidate([
        candidate({ name: 'x', rank: 1 }),
        candidate({ name: 'y', is_best: true })
      ])?.name
    ).toBe('y');
    expect(bestCandidate([candidate({ name: 'x', rank: 1 })])?.name).toBe('x');
    expect(candidateSortValue(list[0], 'started_at')).toBeNull();
    expect(isMaximized('MAE')).toBe(false);
    expect(isMaximized('F1')).toBe(true);
  });
});

describe('sortByKey: the one comparison every list uses', () => {
  const items = ['b10', null, 'b2', 3, 1, null, 'a'];
  const sorted = (direction: 1 | -1, numericText = false) =>
    sortByKey(items, v => v, direction, { numericText });

  it('puts missing values last in either order, numbers before text', () => {
    expect(sorted(1)).toEqual([1, 3, 'a', 'b10', 'b2', null, null]);
    expect(sorted(-1)).toEqual([3, 1, 'b2', 'b10', 'a', null, null]);
  });

  it('orders text numerically when asked ("2" before "10")', () => {
    expect(sorted(1, true)).toEqual([1, 3, 'a', 'b2', 'b10', null, null]);
  });

  it('is stable and orders two missing values with bothMissing', () => {
    const rows = [
      { id: 'x', v: null, tie: 2 },
      { id: 'y', v: 1, tie: 0 },
      { id: 'z', v: null, tie: 1 },
      { id: 'w', v: 1, tie: 0 }
    ];
    expect(sortByKey(rows, r => r.v, 1).map(r => r.id)).toEqual([
      'y',
      'w',
      'x',
      'z'
    ]);
    expect(
      sortByKey(rows, r => r.v, 1, {
        bothMissing: (a, b) => a.tie - b.tie
      }).map(r => r.id)
    ).toEqual(['y', 'w', 'z', 'x']);
    expect(compareValues(null, null, 1)).toBe(0);
  });
});

describe('metric direction', () => {
  afterEach(() => setMinimizedMetrics(MINIMIZED_METRICS));

  it("follows the server's list of minimised metrics", () => {
    expect(isMaximized('MAE')).toBe(false);
    setMinimizedMetrics(['F1']);
    expect(isMaximized('F1')).toBe(false);
    expect(isMaximized('MAE')).toBe(true);
    expect(isMaximized(null)).toBe(true);
  });
});
