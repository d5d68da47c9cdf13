/**
 * The future values of a forecaster's related columns (what-if): the proposed rows as
 * editable text, read back as numbers, and a column set in one go.
 */
import type { ForecastFuture } from '../../api/types';
import { futureRows, initialCells, setColumn } from '../futureValues';

const TEMPLATE: ForecastFuture = {
  endpoint: 'sales-fc',
  horizon: 2,
  related: ['promo', 'price'],
  future: [
    { item_id: 's1', timestamp: '2022-01-01T00:00:00', promo: 0, price: 9.5 },
    { item_id: 's1', timestamp: '2022-02-01T00:00:00', promo: 0, price: null }
  ]
};

describe('future values', () => {
  it('start at the values the endpoint proposes (a missing one empty)', () => {
    expect(initialCells(TEMPLATE)).toEqual([
      ['0', '9.5'],
      ['0', '']
    ]);
  });

  it('are sent as numbers, with the item and timestamp of their row', () => {
    const cells = [
      ['1', ' 9.5 '],
      ['0', '8']
    ];
    expect(futureRows(TEMPLATE, cells)).toEqual({
      rows: [
        {
          item_id: 's1',
          timestamp: '2022-01-01T00:00:00',
          promo: 1,
          price: 9.5
        },
        { item_id: 's1', timestamp: '2022-02-01T00:00:00', promo: 0, price: 8 }
      ],
      bad: null
    });
  });

  it('name the first cell that is empty or not a number', () => {
    expect(futureRows(TEMPLATE, initialCells(TEMPLATE)).bad).toEqual({
      row: 1,
      column: 'price'
    });
    expect(
      futureRows(TEMPLATE, [
        ['yes', '1'],
        ['0', '1']
      ]).bad
    ).toEqual({ row: 0, column: 'promo' });
  });

  it('can set one column at every step', () => {
    expect(setColumn(TEMPLATE, initialCells(TEMPLATE), 'promo', '1')).toEqual([
      ['1', '9.5'],
      ['1', '']
    ]);
  });
});
