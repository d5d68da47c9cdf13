/**
 * The deploy form's choice of candidates to serve as production variants, with
 * their names and traffic weights.
 */
import {
  addIcon,
  Button,
  closeIcon,
  HTMLSelect
} from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Candidate } from '../api/types';
import { ButtonIcon, useTrans } from '../common/components';
import { formatMetric, formatPercent } from '../format';
import {
  addVariantPick,
  IVariantPick,
  MAX_VARIANTS,
  MIN_VARIANTS,
  pickShares,
  rankedCandidates,
  removeVariantPick
} from './variants';

/** Candidates to serve side by side, each with a variant name and a traffic weight. */
export function VariantPicker(props: {
  picks: IVariantPick[];
  candidates: Candidate[];
  errors: Record<string, string>;
  serverError?: string;
  onChange: (picks: IVariantPick[]) => void;
}): JSX.Element {
  const trans = useTrans();
  const { picks, errors } = props;
  const ranked = rankedCandidates(props.candidates);
  const shares = pickShares(picks);
  const set = (index: number, patch: Partial<IVariantPick>) =>
    props.onChange(picks.map((p, i) => (i === index ? { ...p, ...patch } : p)));
  const rowErrors = picks.flatMap((_, i) =>
    (['candidate', 'weight', 'name'] as const)
      .map(field => errors[`variants.${i}.${field}`])
      .filter(Boolean)
      .map(message => trans.__('Variant %1: %2', i + 1, message))
  );
  const local = [...(errors.variants ? [errors.variants] : []), ...rowErrors];
  const messages = [
    ...local,
    ...(props.serverError ? [props.serverError] : [])
  ];
  const errorId = 'jp-autopilot-deploy-variants-error';
  const invalid = (i: number, field: string) =>
    errors[`variants.${i}.${field}`] ? true : undefined;
  return (
    <fieldset
      className={`jp-Autopilot-fieldset jp-AutopilotDeploy-variants${
        local.length ? ' jp-mod-error' : ''
      }`}
    >
      <legend>{trans.__('Production variants')}</legend>
      <p className="jp-Autopilot-fieldHelp">
        {trans.__(
          'Each request goes to one variant, chosen by weight. Only candidates that kept a model (the top ones) are listed.'
        )}
      </p>
      <table
        className="jp-AutopilotDeploy-variantsTable"
        aria-label={trans.__('Traffic split')}
      >
        <thead>
          <tr>
            <th scope="col">{trans.__('Candidate')}</th>
            <th scope="col">{trans.__('Weight')}</th>
            <th scope="col" className="jp-mod-numeric">
              {trans.__('Share')}
            </th>
            <th scope="col">{trans.__('Variant name')}</th>
            <th scope="col">
              <span className="jp-Autopilot-srOnly">{trans.__('Remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {picks.map((pick, i) => (
            <tr key={i}>
              <td>
                <HTMLSelect
                  aria-label={trans.__('Candidate of variant %1', i + 1)}
                  aria-invalid={invalid(i, 'candidate')}
                  aria-describedby={errorId}
                  className={invalid(i, 'candidate') ? 'jp-mod-error' : ''}
                  value={pick.candidate}
                  onChange={e => set(i, { candidate: e.target.value })}
                  options={ranked.map(c => ({
                    value: c.name,
                    label: `${c.is_best ? '★ ' : ''}${c.name} · ${formatMetric(
                      c.objective_value
                    )}`
                  }))}
                />
              </td>
              <td>
                <input
                  className={`jp-mod-styled jp-AutopilotDeploy-weight${
                    invalid(i, 'weight') ? ' jp-mod-error' : ''
                  }`}
                  type="number"
                  min={0}
                  max={1000}
                  step="any"
                  aria-label={trans.__('Weight of variant %1', i + 1)}
                  aria-invalid={invalid(i, 'weight')}
                  aria-describedby={errorId}
                  value={pick.weight}
                  onChange={e => set(i, { weight: e.target.value })}
                />
              </td>
              <td className="jp-mod-numeric jp-AutopilotDeploy-share">
                {shares[i] === null ? '–' : formatPercent(shares[i])}
              </td>
              <td>
                <input
                  className={`jp-mod-styled jp-AutopilotDeploy-variantName${
                    invalid(i, 'name') ? ' jp-mod-error' : ''
                  }`}
                  aria-label={trans.__('Name of variant %1', i + 1)}
                  aria-invalid={invalid(i, 'name')}
                  aria-describedby={errorId}
                  value={pick.name}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={e => set(i, { name: e.target.value })}
                />
              </td>
              <td>
                <Button
                  minimal
                  small
                  aria-label={trans.__('Remove variant %1', i + 1)}
                  title={trans.__('Remove')}
                  disabled={picks.length <= MIN_VARIANTS}
                  onClick={() => props.onChange(removeVariantPick(picks, i))}
                >
                  <ButtonIcon icon={closeIcon} />
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="jp-Autopilot-inline">
        <Button
          small
          disabled={
            picks.length >= MAX_VARIANTS || picks.length >= ranked.length
          }
          onClick={() =>
            props.onChange(addVariantPick(picks, props.candidates))
          }
        >
          <ButtonIcon icon={addIcon} />
          {trans.__('Add a variant')}
        </Button>
        <span className="jp-Autopilot-muted">
          {trans.__('%1 to %2 variants', MIN_VARIANTS, MAX_VARIANTS)}
        </span>
      </div>
      <div id={errorId} className="jp-Autopilot-fieldError" aria-live="polite">
        {messages.map((m, i) => (
          <div key={i}>{m}</div>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * A dialog body that holds a form's value: the React view reports every change, and
 * the dialog reads the last one when a button is pressed.
 */
