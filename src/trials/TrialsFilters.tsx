/**
 * The trials view's filter bar: search, experiments, status, algorithm, and
 * whether hyperparameters show as columns.
 */
import { Button, HTMLSelect, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { useTrans } from '../common/components';
import {
  DEFAULT_TRIALS_FILTER,
  ITrialsFilter,
  TRIAL_STATUSES,
  isFiltered
} from './filtering';
import { trialStatusLabel } from './labels';

/**
 * A multi-select of experiments: a disclosure button opening a list of
 * checkboxes (keyboard: Enter/Space opens, Tab moves, Escape closes). No
 * experiment ticked means all of them.
 */
export function ExperimentPicker(props: {
  choices: string[];
  value: readonly string[];
  onChange: (value: string[]) => void;
}): JSX.Element {
  const trans = useTrans();
  const ref = React.useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = React.useState(false);

  React.useEffect(() => {
    if (!open) {
      return;
    }
    const onPointer = (event: MouseEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) {
        ref.current.open = false;
      }
    };
    document.addEventListener('mousedown', onPointer);
    return () => document.removeEventListener('mousedown', onPointer);
  }, [open]);

  const chosen = new Set(props.value);
  const summary =
    props.value.length === 0
      ? trans.__('All experiments')
      : props.value.length === 1
        ? props.value[0]
        : trans.__('%1 experiments', props.value.length);
  return (
    <details
      ref={ref}
      className="jp-AutopilotTrials-picker"
      onToggle={() => setOpen(!!ref.current?.open)}
      onKeyDown={event => {
        if (event.key === 'Escape' && ref.current?.open) {
          event.stopPropagation();
          ref.current.open = false;
          ref.current.querySelector('summary')?.focus();
        }
      }}
    >
      <summary
        className="jp-AutopilotTrials-pickerButton"
        aria-label={trans.__('Experiments: %1', summary)}
      >
        <span className="jp-AutopilotTrials-pickerText">{summary}</span>
      </summary>
      <div
        className="jp-AutopilotTrials-pickerMenu"
        role="group"
        aria-label={trans.__('Experiments to show')}
      >
        <label className="jp-Autopilot-checkbox">
          <input
            type="checkbox"
            checked={props.value.length === 0}
            onChange={() => props.onChange([])}
          />
          {trans.__('All experiments')}
        </label>
        {props.choices.map(name => (
          <label key={name} className="jp-Autopilot-checkbox">
            <input
              type="checkbox"
              checked={chosen.has(name)}
              onChange={e =>
                props.onChange(
                  e.target.checked
                    ? [...props.value, name]
                    : props.value.filter(n => n !== name)
                )
              }
            />
            {name}
          </label>
        ))}
      </div>
    </details>
  );
}

/** The filter bar above the trials table. */
export function TrialsFilters(props: {
  filter: ITrialsFilter;
  onChange: (patch: Partial<ITrialsFilter>) => void;
  experiments: string[];
  algorithms: string[];
  showHyperparameters: boolean;
  onShowHyperparameters: (show: boolean) => void;
}): JSX.Element {
  const trans = useTrans();
  return (
    <div
      className="jp-AutopilotTrials-filters"
      role="search"
      aria-label={trans.__('Filter trials')}
    >
      <InputGroup
        type="search"
        className="jp-AutopilotTrials-search"
        aria-label={trans.__('Search trials')}
        placeholder={trans.__('Search trial, experiment or algorithm')}
        value={props.filter.search}
        rightIcon="ui-components:search"
        onChange={e =>
          props.onChange({ search: (e.target as HTMLInputElement).value })
        }
      />
      <ExperimentPicker
        choices={props.experiments}
        value={props.filter.experiments}
        onChange={value => props.onChange({ experiments: value })}
      />
      <HTMLSelect
        aria-label={trans.__('Status filter')}
        value={props.filter.status}
        onChange={e =>
          props.onChange({ status: e.target.value as ITrialsFilter['status'] })
        }
        options={[
          { value: '', label: trans.__('All statuses') },
          ...TRIAL_STATUSES.map(s => ({
            value: s,
            label: trialStatusLabel(s, trans)
          }))
        ]}
      />
      <HTMLSelect
        aria-label={trans.__('Algorithm filter')}
        value={props.filter.algorithm}
        onChange={e => props.onChange({ algorithm: e.target.value })}
        options={[
          { value: '', label: trans.__('All algorithms') },
          ...props.algorithms.map(a => ({ value: a, label: a }))
        ]}
      />
      <label className="jp-Autopilot-checkbox">
        <input
          type="checkbox"
          checked={props.showHyperparameters}
          onChange={e => props.onShowHyperparameters(e.target.checked)}
        />
        {trans.__('Hyperparameter columns')}
      </label>
      {isFiltered(props.filter) && (
        <Button
          small
          minimal
          onClick={() => props.onChange(DEFAULT_TRIALS_FILTER)}
        >
          {trans.__('Clear filters')}
        </Button>
      )}
    </div>
  );
}
