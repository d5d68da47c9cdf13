/**
 * The wizard's step titles and problem types as people read them.
 */

import type { ProblemType } from '../api/types';
import { useTrans } from '../common/components';
import { Step } from './form';

export const PROBLEM_TYPES: ProblemType[] = [
  'auto',
  'binary',
  'multiclass',
  'regression',
  'TimeSeriesForecasting'
];

/**
 * The problem types the wizard offers: forecasting where the backend runs it (its
 * health's `features.forecasting`), or when the form holds it already (a copied spec,
 * so the choice shows and the server's answer says what to change).
 */
export function problemTypesOffered(
  forecasting: boolean,
  current: ProblemType
): ProblemType[] {
  return PROBLEM_TYPES.filter(
    t => t !== 'TimeSeriesForecasting' || forecasting || current === t
  );
}

export function useStepTitles(): Record<Step, string> {
  const trans = useTrans();
  return {
    data: trans.__('Data'),
    target: trans.__('Target and columns'),
    settings: trans.__('Settings'),
    review: trans.__('Review and create')
  };
}

/** A problem type as users read it (also used by the notebook import dialog). */
export function problemTypeLabel(
  type: ProblemType | null,
  trans: { __: (s: string) => string }
): string {
  switch (type) {
    case 'binary':
      return trans.__('Binary classification');
    case 'multiclass':
      return trans.__('Multiclass classification');
    case 'regression':
      return trans.__('Regression');
    case 'auto':
      return trans.__('Auto-detect');
    case 'TimeSeriesForecasting':
      return trans.__('Time-series forecasting');
    default:
      return '';
  }
}
