/**
 * Step 3 of the wizard: name, run mode, budget, training mode, tags and (SageMaker)
 * the AWS settings.
 */
import {
  addIcon,
  Button,
  closeIcon,
  HTMLSelect,
  InputGroup
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { ButtonIcon, describedBy, Field, useTrans } from '../common/components';
import type { AutoMLAlgorithm } from '../api/types';
import { formatDuration } from '../format';
import { IExperimentForm, isForecasting } from './form';
import { FormInputField } from './FormInputField';
import { ValidationData } from './ValidationData';
import { fieldId, inputProps, IStepProps } from './stepProps';

export function SettingsStep(p: IStepProps): JSX.Element {
  const trans = useTrans();
  const d = p.health.defaults;
  const s3 = p.health.features.s3;
  const seconds = (text: string) => {
    const n = Number(text);
    return text.trim() && isFinite(n) && n > 0 ? formatDuration(n) : '';
  };
  const nameHelp = trans.__(
    '1–32 letters, digits and hyphens (SageMaker’s naming rule).'
  );
  return (
    <div className="jp-AutopilotCreate-fields">
      <div className="jp-Autopilot-grid2">
        <FormInputField
          p={p}
          name="name"
          label={trans.__('Experiment name')}
          help={nameHelp}
          required
          maxLength={64}
          autoComplete="off"
        />
        <FormInputField
          p={p}
          name="project"
          label={trans.__('Project (optional)')}
        />
      </div>
      <FormInputField
        p={p}
        name="description"
        label={trans.__('Description (optional)')}
      />

      <fieldset className="jp-Autopilot-fieldset" id={fieldId('mode')}>
        <legend>{trans.__('Run a complete experiment?')}</legend>
        <label className="jp-Autopilot-radio">
          <input
            type="radio"
            name="jp-autopilot-mode"
            checked={p.form.mode === 'complete'}
            onChange={() => p.update({ mode: 'complete' })}
          />
          <span>
            <strong>{trans.__('Yes: complete experiment')}</strong>
            <span className="jp-Autopilot-muted">
              {' '}
              {trans.__(
                'All four stages: analyse, define candidates, engineer features, tune models.'
              )}
            </span>
          </span>
        </label>
        <label className="jp-Autopilot-radio">
          <input
            type="radio"
            name="jp-autopilot-mode"
            checked={p.form.mode === 'pilot'}
            onChange={() => p.update({ mode: 'pilot' })}
          />
          <span>
            <strong>{trans.__('No: pilot run')}</strong>
            <span className="jp-Autopilot-muted">
              {' '}
              {trans.__(
                'Stop after generating the candidate definitions notebook, to review or edit it.'
              )}
            </span>
          </span>
        </label>
      </fieldset>

      <fieldset className="jp-Autopilot-fieldset">
        <legend>{trans.__('Budget')}</legend>
        <div className="jp-Autopilot-grid3">
          <FormInputField
            p={p}
            name="max_candidates"
            label={trans.__('Max candidates')}
            help={trans.__('Default %1', d.max_candidates)}
            type="number"
            min={1}
            max={750}
            inputMode="numeric"
            placeholder={String(d.max_candidates)}
          />
          <FormInputField
            p={p}
            name="max_trial_runtime_seconds"
            label={trans.__('Max trial runtime (s)')}
            help={
              seconds(p.form.max_trial_runtime_seconds) ||
              trans.__(
                'Default %1',
                formatDuration(d.max_trial_runtime_seconds)
              )
            }
            type="number"
            min={1}
            inputMode="numeric"
            placeholder={String(d.max_trial_runtime_seconds)}
          />
          <FormInputField
            p={p}
            name="max_job_runtime_seconds"
            label={trans.__('Max job runtime (s)')}
            help={
              seconds(p.form.max_job_runtime_seconds) ||
              trans.__('Default %1', formatDuration(d.max_job_runtime_seconds))
            }
            type="number"
            min={1}
            inputMode="numeric"
            placeholder={String(d.max_job_runtime_seconds)}
          />
        </div>
        <div className="jp-Autopilot-grid3">
          <Field
            id={fieldId('training_mode')}
            label={trans.__('Training mode')}
          >
            <HTMLSelect
              id={fieldId('training_mode')}
              value={p.form.training_mode}
              onChange={e =>
                p.update({
                  training_mode: e.target
                    .value as IExperimentForm['training_mode']
                })
              }
              options={[
                { value: 'auto', label: trans.__('Auto') },
                { value: 'ensembling', label: trans.__('Ensembling') },
                {
                  value: 'hyperparameter_tuning',
                  label: trans.__('Hyperparameter tuning')
                }
              ]}
            />
          </Field>
        </div>
      </fieldset>

      {/* Forecasting scores candidates on backtest windows, set on the target step. */}
      {!isForecasting(p.form) && <ValidationData {...p} />}

      <AdvancedFields {...p} />

      <TagsEditor {...p} />

      {s3 && <AwsFields {...p} />}
    </div>
  );
}

/** Optional settings most experiments leave alone: the sample weight column and the
 * algorithm families to train. */
function AdvancedFields(p: IStepProps): JSX.Element {
  const trans = useTrans();
  const byMode = p.health.defaults.algorithms_by_training_mode ?? {};
  const pilotOnAws = p.health.features.s3 && p.form.mode === 'pilot';
  const offered =
    byMode[pilotOnAws ? 'hyperparameter_tuning' : p.form.training_mode] ?? [];
  const chosen = new Set(p.form.algorithms);
  const toggle = (name: AutoMLAlgorithm, on: boolean) => {
    p.update({
      algorithms: [...offered, ...p.form.algorithms]
        .filter((a, i, all) => all.indexOf(a) === i)
        .filter(a => (a === name ? on : chosen.has(a)))
    });
    p.touch('algorithms');
  };
  const columns = (p.preview?.columns ?? [])
    .filter(c => c.name !== p.form.target)
    .filter(
      c => c.inferred_type === 'numeric' || c.name === p.form.sample_weight
    );
  const help = trans.__(
    'A column of non-negative numbers: rows count in training and in every metric in proportion to their weight. Not a feature; rows without a weight are left out.'
  );
  // Weights and algorithm families are tabular settings: the API refuses them with a
  // forecast (its candidates are fixed: statistical models, a global LightGBM, ensemble).
  const tabular = !isForecasting(p.form);
  return (
    <fieldset className="jp-Autopilot-fieldset">
      <legend>{trans.__('Advanced (optional)')}</legend>
      {tabular && (
        <div className="jp-Autopilot-grid2">
          <Field
            id={fieldId('sample_weight')}
            label={trans.__('Sample weight column')}
            help={help}
            error={p.errorOf('sample_weight')}
          >
            {p.preview ? (
              <HTMLSelect
                id={fieldId('sample_weight')}
                value={p.form.sample_weight}
                aria-invalid={p.errorOf('sample_weight') ? true : undefined}
                aria-describedby={describedBy(
                  fieldId('sample_weight'),
                  help,
                  p.errorOf('sample_weight')
                )}
                onChange={e => {
                  p.update({ sample_weight: e.target.value });
                  p.touch('sample_weight');
                }}
                options={[
                  { value: '', label: trans.__('None: every row counts once') },
                  ...columns.map(c => ({ value: c.name, label: c.name }))
                ]}
              />
            ) : (
              <InputGroup {...inputProps(p, 'sample_weight', help)} />
            )}
          </Field>
        </div>
      )}
      {tabular && (
        <fieldset
          className="jp-Autopilot-fieldset"
          id={fieldId('algorithms')}
          tabIndex={-1}
        >
          <legend>{trans.__('Algorithms (none checked: all)')}</legend>
          {offered.length ? (
            <div className="jp-Autopilot-inline">
              {offered.map(name => (
                <label key={name} className="jp-Autopilot-checkbox">
                  <input
                    type="checkbox"
                    checked={chosen.has(name)}
                    onChange={e => toggle(name, e.target.checked)}
                  />{' '}
                  {name}
                </label>
              ))}
            </div>
          ) : (
            <div className="jp-Autopilot-muted">
              {trans.__(
                'In this training mode every algorithm runs; choose ensembling or hyperparameter tuning to pick them.'
              )}
            </div>
          )}
          <div className="jp-Autopilot-fieldError" aria-live="polite">
            {p.errorOf('algorithms') ?? ''}
          </div>
        </fieldset>
      )}
      {!p.health.features.s3 && (
        <label
          className="jp-Autopilot-checkbox"
          title={trans.__(
            'The same file and settings give the same leaderboard every time: the search stops after the maximum number of candidates only (no time limit decides), with fixed seeds and one training thread.'
          )}
        >
          <input
            type="checkbox"
            id={fieldId('reproducible')}
            checked={p.form.reproducible}
            onChange={e => {
              p.update({ reproducible: e.target.checked });
              p.touch('reproducible');
              p.touch('max_candidates');
            }}
          />{' '}
          {trans.__('Reproducible (bounded by the number of candidates only)')}
        </label>
      )}
    </fieldset>
  );
}

function TagsEditor(p: IStepProps): JSX.Element {
  const trans = useTrans();
  const tags = p.form.tags;
  const set = (index: number, patch: Partial<{ key: string; value: string }>) =>
    p.update({
      tags: tags.map((t, i) => (i === index ? { ...t, ...patch } : t))
    });
  return (
    <fieldset
      className="jp-Autopilot-fieldset"
      id={fieldId('tags')}
      tabIndex={-1}
    >
      <legend>{trans.__('Tags (optional)')}</legend>
      {tags.map((tag, i) => (
        <div className="jp-Autopilot-inline" key={i}>
          <InputGroup
            aria-label={trans.__('Tag %1 key', i + 1)}
            placeholder={trans.__('Key')}
            value={tag.key}
            onChange={e =>
              set(i, { key: (e.target as HTMLInputElement).value })
            }
            onBlur={() => p.touch('tags')}
          />
          <InputGroup
            aria-label={trans.__('Tag %1 value', i + 1)}
            placeholder={trans.__('Value')}
            value={tag.value}
            onChange={e =>
              set(i, { value: (e.target as HTMLInputElement).value })
            }
            onBlur={() => p.touch('tags')}
          />
          <Button
            minimal
            aria-label={trans.__('Remove tag %1', i + 1)}
            onClick={() => p.update({ tags: tags.filter((_, j) => j !== i) })}
          >
            <closeIcon.react tag="span" />
          </Button>
        </div>
      ))}
      <Button
        small
        onClick={() => p.update({ tags: [...tags, { key: '', value: '' }] })}
      >
        <ButtonIcon icon={addIcon} />
        {trans.__('Add tag')}
      </Button>
      <div className="jp-Autopilot-fieldError" aria-live="polite">
        {p.errorOf('tags') ?? ''}
      </div>
    </fieldset>
  );
}

function AwsFields(p: IStepProps): JSX.Element {
  const trans = useTrans();
  const h = p.health;
  return (
    <fieldset className="jp-Autopilot-fieldset jp-AutopilotCreate-aws">
      <legend>{trans.__('AWS settings')}</legend>
      <div className="jp-Autopilot-grid2">
        <FormInputField
          p={p}
          name="output_uri"
          label={trans.__('Output data location (S3)')}
          help={trans.__(
            'Default: s3://%1/…',
            h.default_bucket ?? 'sagemaker-<region>-<account>'
          )}
          placeholder="s3://bucket/prefix"
        />
        <FormInputField
          p={p}
          name="role_arn"
          label={trans.__('IAM role')}
          help={
            h.role_arn
              ? trans.__('Default: %1', h.role_arn)
              : trans.__('The SageMaker execution role.')
          }
          placeholder={
            h.role_arn ?? 'arn:aws:iam::123456789012:role/SageMakerRole'
          }
        />
        <FormInputField
          p={p}
          name="kms_key_id"
          label={trans.__('Encryption key (KMS, optional)')}
          placeholder={trans.__('Key id or ARN')}
        />
      </div>
      <div className="jp-Autopilot-grid2">
        <FormInputField
          p={p}
          name="vpc_security_group_ids"
          label={trans.__('VPC security groups (optional)')}
          help={trans.__('Comma-separated, e.g. sg-0123abcd')}
          error={p.errorOf('vpc_security_group_ids') ?? p.errorOf('vpc_config')}
        />
        <FormInputField
          p={p}
          name="vpc_subnets"
          label={trans.__('VPC subnets (optional)')}
          help={trans.__('Comma-separated, e.g. subnet-0123abcd')}
        />
      </div>
    </fieldset>
  );
}
