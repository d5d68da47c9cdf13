/**
 * Instance type and count, or serverless memory and concurrency (SageMaker).
 */
import { HTMLSelect, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Health } from '../api/types';
import { Field, Notice, useTrans } from '../common/components';
import { IHostingForm } from './requests';

/** The hosting fields of the deploy forms (SageMaker only). */
export function HostingFields(props: {
  idPrefix: string;
  radioName: string;
  form: IHostingForm;
  health: Health;
  errors: Record<string, string>;
  serverFields: Record<string, string>;
  update: (patch: Partial<IHostingForm>) => void;
  /** Why serverless hosting is not offered (null: it is). */
  serverlessExcluded?: string | null;
}): JSX.Element {
  const trans = useTrans();
  const { idPrefix, form, errors, serverFields, update } = props;
  return (
    <>
      <fieldset className="jp-Autopilot-fieldset">
        <legend>{trans.__('Hosting')}</legend>
        <label className="jp-Autopilot-radio">
          <input
            type="radio"
            name={props.radioName}
            checked={form.hosting === 'instance'}
            onChange={() => update({ hosting: 'instance' })}
          />
          {trans.__('Real-time instances')}
        </label>
        {props.health.features.serverless && (
          <label className="jp-Autopilot-radio">
            <input
              type="radio"
              name={props.radioName}
              checked={form.hosting === 'serverless'}
              disabled={!!props.serverlessExcluded}
              title={props.serverlessExcluded ?? undefined}
              onChange={() => update({ hosting: 'serverless' })}
            />
            {trans.__('Serverless (pay per request)')}
            {props.serverlessExcluded && (
              <span className="jp-Autopilot-muted">
                {' '}
                ({props.serverlessExcluded})
              </span>
            )}
          </label>
        )}
      </fieldset>
      {form.hosting === 'instance' ? (
        <div className="jp-Autopilot-grid2">
          <Field
            id={`${idPrefix}-instance-type`}
            label={trans.__('Instance type')}
            error={errors.instance_type ?? serverFields.instance_type}
          >
            <HTMLSelect
              id={`${idPrefix}-instance-type`}
              value={form.instanceType}
              onChange={e => update({ instanceType: e.target.value })}
              options={(props.health.features.instance_types ?? []).map(t => ({
                value: t,
                label: t
              }))}
            />
          </Field>
          <Field
            id={`${idPrefix}-count`}
            label={trans.__('Instance count')}
            error={errors.instance_count ?? serverFields.instance_count}
          >
            <InputGroup
              id={`${idPrefix}-count`}
              type="number"
              min={1}
              max={10}
              value={form.instanceCount}
              className={errors.instance_count ? 'jp-mod-error' : undefined}
              onChange={e =>
                update({
                  instanceCount: (e.target as HTMLInputElement).value
                })
              }
            />
          </Field>
        </div>
      ) : (
        <div className="jp-Autopilot-grid2">
          <Field
            id={`${idPrefix}-memory`}
            label={trans.__('Memory (MB)')}
            error={errors.serverless ?? serverFields.serverless}
          >
            <HTMLSelect
              id={`${idPrefix}-memory`}
              value={form.memorySizeMb}
              onChange={e => update({ memorySizeMb: e.target.value })}
              options={['1024', '2048', '3072', '4096', '5120', '6144']}
            />
          </Field>
          <Field
            id={`${idPrefix}-concurrency`}
            label={trans.__('Max concurrency')}
          >
            <InputGroup
              id={`${idPrefix}-concurrency`}
              type="number"
              min={1}
              max={200}
              value={form.maxConcurrency}
              onChange={e =>
                update({
                  maxConcurrency: (e.target as HTMLInputElement).value
                })
              }
            />
          </Field>
        </div>
      )}
      <Notice kind="info">
        {trans.__(
          'A SageMaker endpoint is billed per hour while it runs; clean it up when you are done.'
        )}
      </Notice>
    </>
  );
}
