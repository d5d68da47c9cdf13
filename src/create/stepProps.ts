/**
 * What every step of the wizard gets, and the props of an input bound to a form
 * field.
 */
import * as React from 'react';

import type { DatasetPreview, DataWarning, Health } from '../api/types';
import { describedBy } from '../common/components';
import { AutopilotModel, IAutopilotActions } from '../model';
import { ICheckOutcome } from './checks';
import { CheckStatus } from './DataChecks';
import { FormField, IExperimentForm } from './form';
import type { ISeriesPreviewState } from './useSeriesPreview';

/** The server check of the current form, for the target and review steps. */
export interface IChecks {
  status: CheckStatus;
  columnWarnings: DataWarning[];
  notes: DataWarning[];
  error: unknown;
  result: ICheckOutcome['result'];
  nameChecked: boolean;
  onExclude: (column: string) => void;
}

export interface IStepProps {
  checks: IChecks;
  form: IExperimentForm;
  update: (patch: Partial<IExperimentForm>) => void;
  touch: (field: string) => void;
  errorOf: (field: FormField) => string | undefined;
  health: Health;
  /** The preview of the current input (null when missing or stale). */
  preview: DatasetPreview | null;
  /** A forecasting form's series preview (checks, detected frequency, plots). */
  seriesPreview?: ISeriesPreviewState;
  model: AutopilotModel;
  actions: IAutopilotActions;
}

/** A field's element id (a `forecast.horizon` field gets `...-forecast-horizon`: CSS-safe). */
export const fieldId = (name: string) =>
  `jp-autopilot-create-${name.replace(/\./g, '-')}`;

/** Fields the experiment cannot do without. */
const REQUIRED = new Set<string>(['input_uri', 'target', 'name']);

/** Common props of a text input bound to a form field. */
export function inputProps(
  p: IStepProps,
  name: keyof IExperimentForm,
  help?: React.ReactNode
): React.InputHTMLAttributes<HTMLInputElement> {
  const error = p.errorOf(name);
  return {
    id: fieldId(name),
    value: p.form[name] as string,
    onChange: e =>
      p.update({ [name]: (e.target as HTMLInputElement).value } as any),
    onBlur: () => p.touch(name),
    'aria-invalid': error ? true : undefined,
    'aria-required': REQUIRED.has(name) ? true : undefined,
    'aria-describedby': describedBy(fieldId(name), help, error),
    className: error ? 'jp-mod-error' : undefined
  };
}
