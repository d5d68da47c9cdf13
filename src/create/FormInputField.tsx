/**
 * One labelled text input of the create form, bound to its form field: the `Field`
 * (id, label, help, error, required mark) around an `InputGroup` wired by
 * `inputProps`. The settings step's fields share this shape.
 */
import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { Field } from '../common/components';
import { IExperimentForm } from './form';
import { fieldId, inputProps, IStepProps } from './stepProps';

export function FormInputField(
  props: {
    p: IStepProps;
    name: keyof IExperimentForm;
    label: React.ReactNode;
    /** Shown under the input, and what the input is described by. */
    help?: React.ReactNode;
    /** The message shown under the field (default: the field's own error). */
    error?: string;
    required?: boolean;
  } & Omit<React.InputHTMLAttributes<HTMLInputElement>, 'name'>
): JSX.Element {
  const { p, name, label, help, error, required, ...input } = props;
  return (
    <Field
      id={fieldId(name)}
      label={label}
      help={help}
      error={error ?? p.errorOf(name)}
      required={required}
    >
      <InputGroup {...inputProps(p, name, help)} {...(input as any)} />
    </Field>
  );
}
