/**
 * Problem types read as words, including forecasting experiments created through the API
 * (the wizard does not offer forecasting yet, but the experiment views show them).
 */
import { PROBLEM_TYPES, problemTypeLabel } from '../labels';

const trans = { __: (s: string) => s };

describe('problemTypeLabel', () => {
  it('names every type the wizard offers', () => {
    for (const type of PROBLEM_TYPES) {
      expect(problemTypeLabel(type, trans)).not.toBe('');
    }
  });

  it('names a forecasting experiment', () => {
    expect(problemTypeLabel('TimeSeriesForecasting', trans)).toBe(
      'Time-series forecasting'
    );
  });

  it('is empty when the type is unknown, so callers can show it raw', () => {
    expect(problemTypeLabel(null, trans)).toBe('');
  });
});
