/**
 * The wizard's state as one reducer: the form, the current step, which fields
 * and steps show their errors, and the create request's progress. Pure (no
 * React, no requests) so that jest covers every transition.
 */
import { suggestExperimentName } from '../logic/names';
import { FormErrors, FormField, IExperimentForm, Step, STEPS } from './form';

/** What the wizard holds between renders. */
export interface IWizardState {
  form: IExperimentForm;
  step: Step;
  /** Fields the user left: their client-side errors show. */
  touched: ReadonlySet<string>;
  /** Steps the user tried to leave or create from: all their errors show. */
  attempted: ReadonlySet<Step>;
  /** Errors of the last create request, by field ('' = not about a field). */
  serverErrors: FormErrors;
  creating: boolean;
  createError: unknown;
}

/** What can happen to the wizard. */
export type WizardAction =
  /** The user changed fields (their server errors go). */
  | { type: 'update'; patch: Partial<IExperimentForm> }
  /** The user left a field. */
  | { type: 'touch'; field: string }
  | { type: 'goTo'; step: Step }
  /** The user tried to leave `step` (or to create, without a step: all of them). */
  | { type: 'attempt'; step?: Step }
  /**
   * A preview of `uri` was read: a target or excluded columns that are not in
   * the file go, and an empty name gets one derived from the file.
   */
  | { type: 'previewed'; uri: string; columns: string[]; takenNames: string[] }
  | { type: 'createStarted' }
  | { type: 'createFailed'; error: unknown; errors: FormErrors }
  | { type: 'created' };

/** The state the wizard opens with. */
export function initialWizardState(
  form: IExperimentForm,
  step: Step,
  /** Opened on a spec to re-create: every error shows at once. */
  review: boolean
): IWizardState {
  return {
    form,
    step,
    touched: new Set(),
    attempted: new Set(review ? STEPS : []),
    serverErrors: {},
    creating: false,
    createError: null
  };
}

/** Server errors without those of the changed fields (a VPC field clears `vpc_config`). */
function clearServerErrors(
  errors: FormErrors,
  changed: readonly string[]
): FormErrors {
  if (
    !changed.some(k => errors[k as FormField]) &&
    !(errors.forecast && changed.some(k => k.startsWith('forecast.')))
  ) {
    return errors;
  }
  const copy = { ...errors };
  for (const key of changed) {
    delete copy[key as FormField];
    if (key.startsWith('vpc_')) {
      delete copy.vpc_config;
    }
    // A problem with the forecast block as a whole (a column in two roles) may be
    // fixed by any of its fields, or by the target.
    if (key.startsWith('forecast.') || key === 'target') {
      delete copy.forecast;
    }
  }
  return copy;
}

/** The form once the preview of `uri` with `columns` was read. */
export function formAfterPreview(
  form: IExperimentForm,
  uri: string,
  columns: readonly string[],
  takenNames: readonly string[]
): IExperimentForm {
  const patch: Partial<IExperimentForm> = {};
  if (form.target && !columns.includes(form.target)) {
    patch.target = '';
  }
  patch.exclude_columns = form.exclude_columns.filter(c => columns.includes(c));
  if (!form.name) {
    patch.name = suggestExperimentName(uri, takenNames);
  }
  return { ...form, ...patch };
}

/** The wizard's next state. */
export function wizardReducer(
  state: IWizardState,
  action: WizardAction
): IWizardState {
  switch (action.type) {
    case 'update':
      return {
        ...state,
        form: { ...state.form, ...action.patch },
        serverErrors: clearServerErrors(
          state.serverErrors,
          Object.keys(action.patch)
        )
      };
    case 'touch':
      return state.touched.has(action.field)
        ? state
        : { ...state, touched: new Set(state.touched).add(action.field) };
    case 'goTo':
      return state.step === action.step
        ? state
        : { ...state, step: action.step };
    case 'attempt':
      return {
        ...state,
        attempted: action.step
          ? new Set(state.attempted).add(action.step)
          : new Set(STEPS)
      };
    case 'previewed':
      return {
        ...state,
        form: formAfterPreview(
          state.form,
          action.uri,
          action.columns,
          action.takenNames
        )
      };
    case 'createStarted':
      return {
        ...state,
        creating: true,
        createError: null,
        serverErrors: {}
      };
    case 'createFailed':
      return {
        ...state,
        creating: false,
        createError: action.error,
        serverErrors: action.errors
      };
    case 'created':
      return { ...state, creating: false };
  }
}
