/**
 * Step 2 of the wizard: the target column, problem type and objective metric, and
 * the columns to learn from (with the server's leakage warnings).
 */
import { HTMLSelect, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import type {
  ColumnSummary,
  DataWarning,
  ObjectiveMetric,
  ProblemType
} from '../api/types';
import { describedBy, Field, useTrans } from '../common/components';
import { TypeTag } from '../common/PreviewTable';
import { formatPercent } from '../format';
import { warningLabel } from './checks';
import { DataChecks } from './DataChecks';
import { isForecasting } from './form';
import { ForecastFields } from './ForecastFields';
import { problemTypeLabel, problemTypesOffered } from './labels';
import { fieldId, inputProps, IStepProps } from './stepProps';
import { columnHints, defaultMetric, guessProblemType } from './validation';

export function TargetStep(p: IStepProps): JSX.Element {
  const trans = useTrans();
  const preview = p.preview;
  // A forecast reads its columns by role (timestamp, items, related), not as features.
  const forecasting = isForecasting(p.form);
  const columns = preview?.columns ?? [];
  const targetColumn = columns.find(c => c.name === p.form.target);
  const guessed = forecasting ? null : guessProblemType(targetColumn);
  const effectiveType =
    p.form.problem_type === 'auto' ? guessed : p.form.problem_type;
  const metrics =
    (effectiveType && effectiveType !== 'auto'
      ? p.health.defaults.metrics_by_problem_type[effectiveType]
      : undefined) ?? [];
  const metricDefault = defaultMetric(
    effectiveType,
    p.health.defaults.metrics_by_problem_type as Partial<
      Record<ProblemType, ObjectiveMetric[]>
    >
  );
  const features = columns.filter(c => c.name !== p.form.target);
  const excluded = new Set(p.form.exclude_columns);
  const warningsByColumn = new Map<string, DataWarning[]>();
  for (const w of p.checks.columnWarnings) {
    const list = warningsByColumn.get(w.column as string) ?? [];
    warningsByColumn.set(w.column as string, [...list, w]);
  }
  const toggle = (name: string, include: boolean) => {
    const next = new Set(excluded);
    if (include) {
      next.delete(name);
    } else {
      next.add(name);
    }
    p.update({
      exclude_columns: columns.map(c => c.name).filter(n => next.has(n))
    });
    p.touch('exclude_columns');
  };
  const targetHelp = targetColumn
    ? trans.__(
        '%1 distinct values; for example %2.',
        targetColumn.unique_count,
        (targetColumn.examples ?? []).slice(0, 4).join(', ')
      )
    : trans.__('The column whose values the model learns to predict.');

  return (
    <div className="jp-AutopilotCreate-fields">
      <div className="jp-Autopilot-grid3">
        <Field
          id={fieldId('target')}
          label={trans.__('Target column')}
          help={targetHelp}
          error={p.errorOf('target')}
          required
        >
          {preview ? (
            <HTMLSelect
              id={fieldId('target')}
              value={p.form.target}
              aria-invalid={p.errorOf('target') ? true : undefined}
              aria-required={true}
              aria-describedby={describedBy(
                fieldId('target'),
                targetHelp,
                p.errorOf('target')
              )}
              className={p.errorOf('target') ? 'jp-mod-error' : undefined}
              onChange={e => {
                const target = e.target.value;
                p.update({
                  target,
                  exclude_columns: p.form.exclude_columns.filter(
                    c => c !== target
                  ),
                  objective_metric: ''
                });
                p.touch('target');
              }}
              options={[
                { value: '', label: trans.__('Choose a column…') },
                ...columns.map(c => ({ value: c.name, label: c.name }))
              ]}
            />
          ) : (
            <InputGroup
              {...inputProps(p, 'target', targetHelp)}
              placeholder="y"
            />
          )}
        </Field>
        <Field
          id={fieldId('problem_type')}
          label={trans.__('Problem type')}
          help={
            p.form.problem_type === 'auto' && guessed
              ? trans.__('Looks like: %1', problemTypeLabel(guessed, trans))
              : undefined
          }
          error={p.errorOf('problem_type')}
        >
          <HTMLSelect
            id={fieldId('problem_type')}
            value={p.form.problem_type}
            onChange={e =>
              p.update({
                problem_type: e.target.value as ProblemType,
                objective_metric: ''
              })
            }
            options={problemTypesOffered(
              p.health.features.forecasting ?? false,
              p.form.problem_type
            ).map(t => ({
              value: t,
              label: problemTypeLabel(t, trans)
            }))}
          />
        </Field>
        <Field
          id={fieldId('objective_metric')}
          label={trans.__('Objective metric')}
          help={trans.__('What Autopilot optimises and ranks candidates by.')}
          error={p.errorOf('objective_metric')}
        >
          <HTMLSelect
            id={fieldId('objective_metric')}
            value={p.form.objective_metric}
            onChange={e =>
              p.update({
                objective_metric: e.target.value as ObjectiveMetric | ''
              })
            }
            aria-invalid={p.errorOf('objective_metric') ? true : undefined}
            options={[
              {
                value: '',
                label: metricDefault
                  ? trans.__('Default (%1)', metricDefault)
                  : trans.__('Default for the problem type')
              },
              ...metrics.map(m => ({ value: m, label: m }))
            ]}
          />
        </Field>
      </div>

      {forecasting && <ForecastFields {...p} />}

      {!forecasting && (
        <Field
          id={fieldId('exclude_columns')}
          label={trans.__('Columns to learn from')}
          help={trans.__(
            'Untick columns the model must not use, such as ones only known after the outcome (they leak the target).'
          )}
          error={p.errorOf('exclude_columns')}
        >
          {preview ? (
            <div
              className="jp-Autopilot-tableScroll jp-AutopilotCreate-columns"
              id={fieldId('exclude_columns')}
              tabIndex={-1}
            >
              <table className="jp-Autopilot-table">
                <thead>
                  <tr>
                    <th scope="col">{trans.__('Use')}</th>
                    <th scope="col">{trans.__('Column')}</th>
                    <th scope="col">{trans.__('Type')}</th>
                    <th scope="col" className="jp-mod-numeric">
                      {trans.__('Missing')}
                    </th>
                    <th scope="col" className="jp-mod-numeric">
                      {trans.__('Distinct')}
                    </th>
                    <th scope="col">{trans.__('Examples')}</th>
                    <th scope="col">{trans.__('Notes')}</th>
                  </tr>
                </thead>
                <tbody>
                  {features.map(column => (
                    <ColumnRow
                      key={column.name}
                      column={column}
                      included={!excluded.has(column.name)}
                      warnings={warningsByColumn.get(column.name) ?? []}
                      onToggle={include => toggle(column.name, include)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <InputGroup
              id={fieldId('exclude_columns')}
              value={p.form.exclude_columns.join(', ')}
              placeholder={trans.__('Comma-separated column names')}
              onChange={e =>
                p.update({
                  exclude_columns: (e.target as HTMLInputElement).value
                    .split(',')
                    .map(s => s.trim())
                    .filter(Boolean)
                })
              }
            />
          )}
        </Field>
      )}
      {preview && !forecasting && (
        <p className="jp-Autopilot-muted">
          {trans.__(
            '%1 of %2 columns used as features.',
            features.filter(c => !excluded.has(c.name)).length,
            features.length
          )}{' '}
          {p.checks.status === 'unsupported'
            ? trans.__(
                'Autopilot analyses the data when the experiment starts and warns about columns that leak the target.'
              )
            : trans.__(
                'Once the target is chosen, Autopilot checks the data for columns that leak it.'
              )}
        </p>
      )}
      {p.checks.status !== 'unsupported' && (
        <DataChecks
          status={p.checks.status}
          columnWarnings={p.checks.columnWarnings}
          notes={p.checks.notes}
          error={p.checks.error}
          onExclude={p.checks.onExclude}
          backend={p.health.backend}
        />
      )}
    </div>
  );
}

function ColumnRow(props: {
  column: ColumnSummary;
  included: boolean;
  warnings: DataWarning[];
  onToggle: (include: boolean) => void;
}): JSX.Element {
  const trans = useTrans();
  const c = props.column;
  const hints = columnHints(c, trans);
  const flagged = props.included && props.warnings.length > 0;
  return (
    <tr
      className={
        props.included
          ? flagged
            ? 'jp-mod-flagged'
            : undefined
          : 'jp-mod-dimmed'
      }
    >
      <td>
        <input
          type="checkbox"
          checked={props.included}
          aria-label={trans.__('Use column %1', c.name)}
          onChange={e => props.onToggle(e.target.checked)}
        />
      </td>
      <th scope="row" className="jp-Autopilot-colName">
        {c.name}
      </th>
      <td>
        <TypeTag column={c} />
      </td>
      <td className="jp-mod-numeric">
        {c.missing_count ? formatPercent(c.missing_fraction, 1) : '–'}
      </td>
      <td className="jp-mod-numeric">{c.unique_count}</td>
      <td className="jp-Autopilot-examples">
        {(c.examples ?? []).slice(0, 3).join(', ')}
      </td>
      <td className="jp-Autopilot-hints">
        {flagged &&
          props.warnings.map((w, i) => (
            <span
              key={i}
              className="jp-Autopilot-hintWarning"
              title={w.message}
            >
              {warningLabel(w, trans)}
            </span>
          ))}
        {hints.join(' ')}
      </td>
    </tr>
  );
}
