/**
 * The "Production variants" section of an endpoint view (SageMaker's traffic
 * split): the candidates behind the endpoint side by side (validation metrics with
 * the best marked, weight, traffic share, invocations, latency), weights edited and
 * saved, and "Promote" to send all traffic to one variant.
 */
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Endpoint, ProductionVariant } from '../api/types';
import {
  ErrorMessage,
  Notice,
  ProgressBar,
  Section,
  Spinner,
  useTrans
} from '../common/components';
import { confirm } from '../common/dialogs';
import { useFollowingForm } from '../common/hooks';
import {
  bestVariantMetrics,
  formShares,
  isPromoted,
  isWeightsChanged,
  MAX_WEIGHT,
  promoteWeights,
  validateWeights,
  variantMetricNames,
  weightsForm
} from '../deploy/variants';
import { formatCount, formatMetric, formatPercent } from '../format';
import { AutopilotModel } from '../model';

/** A latency in milliseconds, or a dash. */
function latencyText(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !isFinite(ms)
    ? '–'
    : `${ms.toFixed(1)} ms`;
}

/** A star marking the best value, with words for screen readers. */
function BestMark(): JSX.Element {
  const trans = useTrans();
  return (
    <span className="jp-AutopilotVariants-best" title={trans.__('Best value')}>
      {' ★'}
      <span className="jp-Autopilot-srOnly">{trans.__('(best)')}</span>
    </span>
  );
}

/**
 * The production variants of a split endpoint; nothing for a single-model one.
 * `onUpdated` receives the endpoint the server answers after a weight change.
 */
export function VariantsSection(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
  onUpdated: (endpoint: Endpoint) => void;
}): JSX.Element | null {
  const trans = useTrans();
  const { endpoint } = props;
  const variants = endpoint.variants ?? [];
  if (!variants.length) {
    return null;
  }
  const idPrefix = `jp-autopilot-variants-${endpoint.name}`;
  return (
    <Section
      title={trans.__('Production variants')}
      id={idPrefix}
      className="jp-AutopilotVariants"
    >
      <p className="jp-Autopilot-muted">
        {trans.__(
          'Each request goes to one variant, chosen by weight (its share is its weight divided by the sum of the weights), like SageMaker production variants. Compare their numbers, then promote the better one.'
        )}
      </p>
      <VariantsBody
        endpoint={endpoint}
        variants={variants}
        model={props.model}
        idPrefix={idPrefix}
        onUpdated={props.onUpdated}
      />
    </Section>
  );
}

function VariantsBody(props: {
  endpoint: Endpoint;
  variants: ProductionVariant[];
  model: AutopilotModel;
  idPrefix: string;
  onUpdated: (endpoint: Endpoint) => void;
}): JSX.Element {
  const trans = useTrans();
  const { endpoint, variants, model, idPrefix } = props;
  const supported = !model.notImplemented('update_traffic');
  const editable = supported && endpoint.status === 'InService';

  // The weights form follows the server (polls, other clients) until edited.
  const { serverForm, form, setForm, setEdited } = useFollowingForm<
    Record<string, string>
  >(weightsForm(variants));
  const [saving, setSaving] = React.useState<string | null>(null);
  const [message, setMessage] = React.useState<string>('');
  const [error, setError] = React.useState<unknown>(null);

  const checked = validateWeights(form, trans);
  const changed = isWeightsChanged(form, variants);
  const pending = formShares(form, variants);
  const objectiveMetric = endpoint.objective_metric ?? null;
  const metricNames = variantMetricNames(variants, objectiveMetric);
  const best = bestVariantMetrics(variants, objectiveMetric);
  const totalInvocations = variants.reduce(
    (sum, v) => sum + (v.invocation_count ?? 0),
    0
  );

  const send = async (
    action: string,
    weights: Record<string, number>,
    done: (updated: Endpoint) => string
  ) => {
    setSaving(action);
    setError(null);
    setMessage('');
    try {
      const updated = await model.client.updateTraffic(endpoint.name, weights);
      setEdited(false);
      setForm(weightsForm(updated.variants ?? []));
      setMessage(done(updated));
      props.onUpdated(updated);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(null);
    }
  };

  const save = () => {
    if (!checked.weights) {
      return;
    }
    void send('save', checked.weights, () => trans.__('Saved.'));
  };

  const promote = async (variant: ProductionVariant) => {
    const ok = await confirm({
      trans,
      title: trans.__('Promote %1?', variant.name),
      body: trans.__(
        'All traffic goes to %1 (candidate %2); the other variants get weight 0 and stop receiving requests. They stay deployed, so the weights can be changed back.',
        variant.name,
        variant.candidate
      ),
      accept: trans.__('Promote')
    });
    if (!ok) {
      return;
    }
    void send(
      `promote:${variant.name}`,
      promoteWeights(variants, variant.name),
      () => trans.__('%1 now gets all the traffic.', variant.name)
    );
  };

  const update = (name: string, value: string) => {
    setForm(f => ({ ...f, [name]: value }));
    setEdited(true);
    setMessage('');
  };

  const reset = () => {
    setForm(serverForm);
    setEdited(false);
    setMessage('');
    setError(null);
  };

  const statusId = `${idPrefix}-status`;
  return (
    <>
      <form
        className="jp-AutopilotVariants-form"
        aria-label={trans.__('Traffic weights')}
        onSubmit={e => {
          e.preventDefault();
          save();
        }}
      >
        <div className="jp-Autopilot-tableScroll">
          <table
            className="jp-Autopilot-table jp-AutopilotVariants-table"
            aria-label={trans.__('Production variants')}
          >
            <thead>
              <tr>
                <th scope="col">{trans.__('Variant')}</th>
                <th scope="col">{trans.__('Candidate')}</th>
                <th scope="col" className="jp-mod-numeric">
                  {objectiveMetric
                    ? trans.__('Validation %1', objectiveMetric)
                    : trans.__('Validation objective')}
                </th>
                <th scope="col">{trans.__('Weight')}</th>
                <th scope="col">{trans.__('Traffic share')}</th>
                <th scope="col" className="jp-mod-numeric">
                  {trans.__('Invocations')}
                </th>
                <th scope="col" className="jp-mod-numeric">
                  {trans.__('p50 latency')}
                </th>
                <th scope="col" className="jp-mod-numeric">
                  {trans.__('p99 latency')}
                </th>
                <th scope="col">
                  <span className="jp-Autopilot-srOnly">
                    {trans.__('Actions')}
                  </span>
                </th>
              </tr>
            </thead>
            <tbody>
              {variants.map((v, i) => {
                const promoted = isPromoted(variants, v.name);
                const share = pending[v.name];
                const shareChanged =
                  changed &&
                  share !== null &&
                  Math.abs(share - v.traffic_share) > 1e-9;
                const weightError = checked.errors[v.name];
                return (
                  <tr
                    key={v.name}
                    data-variant={v.name}
                    className={
                      v.traffic_share > 0 ? undefined : 'jp-mod-dimmed'
                    }
                  >
                    <th scope="row">
                      <strong>{v.name}</strong>
                    </th>
                    <td className="jp-AutopilotVariants-candidate">
                      <div>{v.candidate}</div>
                      {v.algorithm && (
                        <div className="jp-Autopilot-muted">{v.algorithm}</div>
                      )}
                    </td>
                    <td
                      className={`jp-mod-numeric${
                        best.objective[i] ? ' jp-mod-bestValue' : ''
                      }`}
                    >
                      {formatMetric(v.objective_value)}
                      {best.objective[i] && <BestMark />}
                    </td>
                    <td>
                      <input
                        className={`jp-mod-styled jp-AutopilotVariants-weight${
                          weightError ? ' jp-mod-error' : ''
                        }`}
                        type="number"
                        min={0}
                        max={MAX_WEIGHT}
                        step="any"
                        value={form[v.name] ?? ''}
                        disabled={!editable || saving !== null}
                        aria-label={trans.__('Weight of %1', v.name)}
                        aria-invalid={weightError ? true : undefined}
                        aria-describedby={statusId}
                        onChange={e => update(v.name, e.target.value)}
                      />
                    </td>
                    <td className="jp-AutopilotVariants-shareCell">
                      <div className="jp-AutopilotVariants-share">
                        <ProgressBar
                          value={v.traffic_share}
                          label={trans.__('Traffic share of %1', v.name)}
                        />
                        <span
                          className="jp-AutopilotVariants-shareText"
                          data-testid="traffic-share"
                        >
                          {formatPercent(v.traffic_share)}
                        </span>
                      </div>
                      <div className="jp-AutopilotVariants-pending jp-Autopilot-muted">
                        {shareChanged
                          ? trans.__('after saving: %1', formatPercent(share))
                          : '\u00a0'}
                      </div>
                    </td>
                    <td className="jp-mod-numeric" data-testid="invocations">
                      {formatCount(v.invocation_count)}
                      {totalInvocations > 0 && (
                        <div className="jp-Autopilot-muted">
                          {formatPercent(
                            (v.invocation_count ?? 0) / totalInvocations
                          )}
                        </div>
                      )}
                    </td>
                    <td className="jp-mod-numeric">
                      {latencyText(v.latency?.p50_ms)}
                    </td>
                    <td className="jp-mod-numeric">
                      {latencyText(v.latency?.p99_ms)}
                    </td>
                    <td>
                      {supported && (
                        <Button
                          small
                          onClick={() => void promote(v)}
                          disabled={!editable || saving !== null || promoted}
                          aria-label={trans.__('Promote %1', v.name)}
                          title={
                            promoted
                              ? trans.__(
                                  '%1 already gets all the traffic.',
                                  v.name
                                )
                              : trans.__(
                                  'Send all traffic to %1 (the others get weight 0)',
                                  v.name
                                )
                          }
                        >
                          {saving === `promote:${v.name}` && <Spinner />}
                          {trans.__('Promote')}
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {supported ? (
          <div className="jp-Autopilot-inline jp-AutopilotVariants-actions">
            <Button
              type="submit"
              className="jp-Autopilot-primary"
              disabled={
                !editable || saving !== null || !changed || !checked.weights
              }
            >
              {saving === 'save' && <Spinner />}
              {trans.__('Save weights')}
            </Button>
            <Button
              minimal
              onClick={reset}
              disabled={saving !== null || !changed}
            >
              {trans.__('Reset')}
            </Button>
            <span
              id={statusId}
              className={`jp-AutopilotVariants-status${
                changed && checked.problem ? ' jp-mod-problem' : ''
              }`}
              role="status"
            >
              {changed && checked.problem
                ? checked.problem
                : message
                  ? message
                  : changed
                    ? trans.__('Not saved')
                    : ''}
            </span>
          </div>
        ) : (
          <p className="jp-Autopilot-muted">
            {trans.__('This backend cannot change the weights.')}
          </p>
        )}
        {supported && !editable && (
          <Notice kind="info">
            {trans.__(
              'Weights can be changed once the endpoint is in service.'
            )}
          </Notice>
        )}
        <ErrorMessage
          error={error}
          title={trans.__('The weights were not changed.')}
          onDismiss={() => setError(null)}
        />
      </form>
      {metricNames.length > 0 && (
        <div className="jp-Autopilot-tableScroll jp-AutopilotVariants-metrics">
          <table
            className="jp-Autopilot-table"
            aria-label={trans.__('Validation metrics of the variants')}
          >
            <thead>
              <tr>
                <th scope="col">{trans.__('Validation metric')}</th>
                {variants.map(v => (
                  <th scope="col" key={v.name} className="jp-mod-numeric">
                    {v.name}
                    <div className="jp-Autopilot-muted">{v.candidate}</div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {metricNames.map(metric => (
                <tr
                  key={metric}
                  data-metric={metric}
                  className={
                    metric === objectiveMetric ? 'jp-mod-objective' : undefined
                  }
                >
                  <th scope="row">{metric}</th>
                  {variants.map((v, i) => (
                    <td
                      key={v.name}
                      className={`jp-mod-numeric${
                        best.metrics[metric]?.[i] ? ' jp-mod-bestValue' : ''
                      }`}
                    >
                      {formatMetric(v.metrics?.[metric])}
                      {best.metrics[metric]?.[i] && <BestMark />}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
