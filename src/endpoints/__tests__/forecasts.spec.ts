/**
 * A forecaster's answer in the Predict section: its quantile columns, and the chart's
 * history and forecast band per item.
 */
import type { SeriesPlot } from '../../api/types';
import {
  forecastChartData,
  forecastChartSpec,
  ForecastRow,
  meanChange,
  quantileColumns
} from '../forecasts';

const ROWS: ForecastRow[] = [
  {
    item_id: 's0',
    timestamp: '2022-01-01',
    mean: 130,
    p10: 120,
    p90: 140,
    p50: 129
  },
  {
    item_id: 's0',
    timestamp: '2022-02-01',
    mean: 131,
    p10: 119,
    p90: 142,
    p50: 130
  }
];
const HISTORY: SeriesPlot[] = [
  {
    item_id: 's0',
    length: 3,
    timestamps: ['2021-10-01', '2021-11-01', '2021-12-01'],
    values: [125, null, 128]
  },
  // Not asked: left out of the chart.
  { item_id: 's1', length: 1, timestamps: ['2021-12-01'], values: [150] }
];
const TEXTS = {
  time: 'Time',
  value: 'sales',
  history: 'History',
  forecast: 'Forecast'
};

describe("a forecaster's answer", () => {
  it('has its quantiles in ascending order, the mean apart', () => {
    expect(quantileColumns(ROWS)).toEqual(['p10', 'p50', 'p90']);
    expect(quantileColumns([{ item_id: 'a', mean: 1 }])).toEqual([]);
  });

  it('charts the asked items’ recent history, then the mean within its band', () => {
    const data = forecastChartData(ROWS, HISTORY, TEXTS, 2);
    expect(data).toEqual([
      // The last two periods; a missing value is left out.
      {
        item: 's0',
        timestamp: '2021-12-01',
        value: 128,
        kind: 'History',
        isForecast: false
      },
      {
        item: 's0',
        timestamp: '2022-01-01',
        value: 130,
        low: 120,
        high: 140,
        kind: 'Forecast',
        isForecast: true
      },
      {
        item: 's0',
        timestamp: '2022-02-01',
        value: 131,
        low: 119,
        high: 142,
        kind: 'Forecast',
        isForecast: true
      }
    ]);
    const spec = forecastChartSpec(ROWS, HISTORY, TEXTS) as any;
    expect(spec.spec.layer.map((l: any) => l.mark.type)).toEqual([
      'area',
      'line'
    ]);
    expect(spec.facet.row.field).toBe('item');
  });

  it('draws a previous forecast of the asked items, dashed, to compare with', () => {
    const before: ForecastRow[] = [
      { item_id: 's0', timestamp: '2022-01-01', mean: 100, p10: 90, p90: 110 },
      // Another item than those asked now: not drawn.
      { item_id: 's1', timestamp: '2022-01-01', mean: 150 }
    ];
    const texts = { ...TEXTS, before: 'Before' };
    const data = forecastChartData(ROWS, [], texts, 2, before);
    expect(data.filter(p => p.kind === 'Before')).toEqual([
      {
        item: 's0',
        timestamp: '2022-01-01',
        value: 100,
        kind: 'Before',
        isForecast: false
      }
    ]);
    const line = (forecastChartSpec(ROWS, [], texts, before) as any).spec
      .layer[1].encoding;
    expect(line.color.scale.domain).toEqual(['History', 'Forecast', 'Before']);
    expect(line.strokeDash.scale.range).toEqual([
      [1, 0],
      [1, 0],
      [4, 3]
    ]);
    // Without a previous forecast the legend has two kinds.
    const plain = (forecastChartSpec(ROWS, [], texts) as any).spec.layer[1];
    expect(plain.encoding.color.scale.domain).toEqual(['History', 'Forecast']);
  });

  it('draws no band with a single quantile', () => {
    const rows = ROWS.map(({ p10, p90, ...rest }) => rest);
    const spec = forecastChartSpec(rows, [], TEXTS) as any;
    expect(spec.spec.layer.map((l: any) => l.mark.type)).toEqual(['line']);
  });
});

describe('a what-if forecast against the previous one', () => {
  it('says how far the mean moved over the steps both have', () => {
    const after: ForecastRow[] = ROWS.map(r => ({
      ...r,
      mean: Number(r.mean) + 13
    }));
    expect(meanChange(ROWS, after)).toEqual({
      steps: 2,
      delta: 13,
      percent: (100 * 26) / 261
    });
    // Other items or timestamps: nothing to compare.
    expect(meanChange(ROWS, [{ ...ROWS[0], item_id: 's9' }])).toBeNull();
    expect(
      meanChange([{ ...ROWS[0], mean: 0 }], [{ ...ROWS[0], mean: 5 }])
    ).toEqual({ steps: 1, delta: 5, percent: null });
  });
});
