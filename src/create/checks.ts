/**
 * The create wizard's server checks (`POST validation/experiment`): which spec to
 * send, and what the answer means for the form (a taken name, field errors, the
 * data warnings a user can act on before the run).
 *
 * Pure functions (no React, no requests) so that jest covers them fully.
 */
import { AutopilotAPIError } from '../api/request';
import type {
  DataWarning,
  ExperimentSpec,
  ExperimentValidation
} from '../api/types';
import { fieldErrors } from '../logic/errors';
import { identityTrans, Trans } from '../logic/trans';
import {
  buildSpec,
  FormErrors,
  IExperimentForm,
  IValidationContext
} from './form';
import { errorsOfStep, nameTakenMessage } from './validation';

/** Wait this long after the last change of target or columns before checking. */
export const CHECK_DEBOUNCE_MS = 500;

/** Stands in for a name the form does not accept yet (the data is checked anyway). */
export const PLACEHOLDER_NAME = 'name-not-checked-yet';

/** A spec to check, and what of it the answer is about. */
export interface ICheckRequest {
  spec: ExperimentSpec;
  /** Identifies the spec (same key, same answer). */
  key: string;
  /** False when the form's name was replaced by a placeholder. */
  nameChecked: boolean;
}

/** The answer to one check request. */
export interface ICheckOutcome {
  key: string;
  nameChecked: boolean;
  /** The name that was checked. */
  name: string;
  result: ExperimentValidation | null;
  /** The 4xx create would give, or a failure to ask. */
  error: unknown;
}

/**
 * The spec to check for a form, or null while the data or the target are not
 * chosen (or invalid). Settings the user has not got right yet are replaced by
 * the defaults, so that the data is checked as early as the target step.
 */
export function checkRequest(
  form: IExperimentForm,
  context: IValidationContext,
  clientErrors: FormErrors
): ICheckRequest | null {
  if (!form.input_uri.trim() || !form.target) {
    return null;
  }
  for (const step of ['data', 'target'] as const) {
    if (Object.keys(errorsOfStep(clientErrors, step)).length) {
      return null;
    }
  }
  const bad = errorsOfStep(clientErrors, 'settings');
  const safe: IExperimentForm = { ...form };
  const nameChecked = !bad.name;
  if (!nameChecked) {
    safe.name = PLACEHOLDER_NAME;
  }
  const blank: Array<keyof IExperimentForm> = [
    'description',
    'project',
    'max_candidates',
    'max_trial_runtime_seconds',
    'max_job_runtime_seconds',
    'output_uri',
    'role_arn',
    'kms_key_id'
  ];
  for (const field of blank) {
    if (bad[field]) {
      (safe as any)[field] = '';
    }
  }
  if (bad.tags) {
    safe.tags = [];
  }
  if (bad.validation_fraction) {
    safe.validation_fraction = '0.2';
  }
  if (bad.validation_file) {
    // Checked with the random split until the file is right (the field says why).
    safe.validation_source = 'fraction';
  }
  if (bad.vpc_config || bad.vpc_security_group_ids || bad.vpc_subnets) {
    safe.vpc_security_group_ids = '';
    safe.vpc_subnets = '';
  }
  const spec = buildSpec(safe, context);
  return { spec, key: JSON.stringify(spec), nameChecked };
}

/** Whether an outcome may be kept and reused for the same spec. */
export function isCacheable(outcome: ICheckOutcome): boolean {
  if (outcome.result) {
    return true;
  }
  // The same spec gets the same 4xx; network errors and 5xx may pass.
  return (
    outcome.error instanceof AutopilotAPIError &&
    outcome.error.status >= 400 &&
    outcome.error.status < 500
  );
}

/**
 * What an up-to-date check says about the form's fields: the name when it is
 * taken, and the per-field problems of a 4xx answer (problems of the request
 * as a whole are `checkFailure`'s). Empty while the outcome is of another spec.
 */
export function checkErrors(
  outcome: ICheckOutcome | null,
  currentKey: string,
  trans: Trans = identityTrans
): FormErrors {
  if (!outcome || outcome.key !== currentKey) {
    return {};
  }
  const errors: FormErrors = {};
  if (outcome.result) {
    if (outcome.nameChecked && !outcome.result.name_available) {
      errors.name = nameTakenMessage(outcome.name, trans);
    }
    return errors;
  }
  if (
    outcome.error instanceof AutopilotAPIError &&
    outcome.error.status < 500
  ) {
    const byField = fieldErrors(outcome.error);
    for (const [field, message] of Object.entries(byField)) {
      // The request as a whole: `checkFailure` shows it.
      if (field === '' || (field === 'name' && !outcome.nameChecked)) {
        continue;
      }
      errors[field as keyof FormErrors] = message;
    }
  }
  return errors;
}

/** An answer that says creating would fail, with no field to blame. */
export function checkFailure(
  outcome: ICheckOutcome | null,
  currentKey: string
): unknown {
  if (!outcome || outcome.key !== currentKey || outcome.result) {
    return null;
  }
  const byField = fieldErrors(outcome.error);
  const named = Object.keys(byField).filter(f => f !== '');
  return named.length ? null : outcome.error;
}

/**
 * Warnings about a feature column the user can exclude in one click (leakage,
 * identifiers...): not the target, not only informational, not excluded yet.
 */
export function actionableWarnings(
  warnings: readonly DataWarning[],
  form: Pick<IExperimentForm, 'target' | 'exclude_columns'>
): DataWarning[] {
  return warnings.filter(
    w =>
      !!w.column &&
      w.column !== form.target &&
      w.severity !== 'info' &&
      !form.exclude_columns.includes(w.column)
  );
}

/** The other warnings worth reading (about the data as a whole, the target...). */
export function otherWarnings(
  warnings: readonly DataWarning[],
  form: Pick<IExperimentForm, 'target' | 'exclude_columns'>
): DataWarning[] {
  const actionable = actionableWarnings(warnings, form);
  return warnings.filter(
    w =>
      !actionable.includes(w) &&
      !(w.column && form.exclude_columns.includes(w.column))
  );
}

/** A short label for a column's warning (the table's Notes cell). */
export function warningLabel(
  warning: DataWarning,
  trans: Trans = identityTrans
): string {
  switch (warning.code) {
    case 'target_leakage':
    case 'post_outcome_feature':
      return trans.__('May leak the target');
    case 'mostly_missing':
      return trans.__('Mostly missing');
    default:
      return warning.severity === 'error'
        ? trans.__('Problem')
        : trans.__('Warning');
  }
}
