/**
 * When a forecasting form's series preview is asked, and what its answer means for
 * the form's fields. Pure functions (the hook is useSeriesPreview.ts).
 */
import { AutopilotAPIError } from '../api/request';
import { errorMessage, fieldErrors } from '../logic/errors';
import { Trans, identityTrans } from '../logic/trans';
import {
  buildForecast,
  FORECAST_FIELDS,
  FormErrors,
  FormField,
  IExperimentForm,
  isForecasting
} from './form';
import type { ISeriesPreviewState, ISeriesRequest } from './useSeriesPreview';

/** Fields the series preview depends on: nothing is asked while one is wrong. */
const ASKED_WITH: readonly FormField[] = [
  'input_uri',
  'delimiter',
  'target',
  ...FORECAST_FIELDS
];

/**
 * The series preview to ask for the form: null unless it is a forecasting form on a
 * previewed file (`columns`) whose target and forecast fields are valid.
 */
export function seriesRequest(
  form: IExperimentForm,
  columns: readonly string[] | null,
  clientErrors: FormErrors
): ISeriesRequest | null {
  if (!isForecasting(form) || !columns || !form.target) {
    return null;
  }
  if (ASKED_WITH.some(field => clientErrors[field])) {
    return null;
  }
  return {
    uri: form.input_uri.trim(),
    delimiter: form.delimiter,
    target: form.target,
    forecast: buildForecast(form)
  };
}

/**
 * The form errors of the series preview's answer to `request` (none while it answers
 * an older one): a 4xx's problems under their fields (`forecast.frequency`...), and the
 * checks' errors (the job would refuse the data) on the forecast block, which keeps
 * Create from going ahead; warnings do not.
 */
export function seriesErrors(
  state: ISeriesPreviewState,
  request: ISeriesRequest | null,
  trans: Trans = identityTrans
): FormErrors {
  if (!request || state.key !== JSON.stringify(request)) {
    return {};
  }
  const errors: FormErrors = {};
  if (state.error) {
    if (
      !(state.error instanceof AutopilotAPIError) ||
      state.error.status >= 500
    ) {
      // Not the data's fault: creating checks it again.
      return errors;
    }
    const byField = fieldErrors(state.error);
    for (const [field, message] of Object.entries(byField)) {
      errors[(field === '' ? 'forecast' : field) as FormField] = message;
    }
    if (!Object.keys(errors).length) {
      errors.forecast = errorMessage(state.error);
    }
    return errors;
  }
  const refused = (state.series?.warnings ?? []).filter(
    w => w.severity === 'error'
  );
  if (refused.length) {
    errors.forecast = trans.__(
      'The data cannot be forecast as set: %1',
      refused.map(w => w.message).join(' ')
    );
  }
  return errors;
}
