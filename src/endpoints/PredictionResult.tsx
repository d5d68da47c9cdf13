/**
 * What an endpoint answered to the Predict form: labels, probabilities, and the
 * raw response.
 */
import * as React from 'react';

import type { Prediction } from '../api/types';
import { ProgressBar, useTrans } from '../common/components';
import { formatPercent, formatValue } from '../format';
import { labelProbability } from './predictions';

/** The predictions of the last request. */
export function PredictionResult(props: {
  rows: string[][];
  predictions: Prediction[];
  actual?: string | null;
  variant?: string | null;
}): JSX.Element {
  const trans = useTrans();
  if (props.predictions.length === 1) {
    const p = props.predictions[0];
    const confidence = labelProbability(p) ?? p.probability ?? null;
    const classes =
      p.labels && p.probabilities
        ? p.labels.map((label, i) => ({
            label,
            probability: p.probabilities?.[i] ?? 0
          }))
        : [];
    return (
      <div className="jp-AutopilotPredict-single" role="status">
        <div className="jp-AutopilotPredict-label">
          <span className="jp-Autopilot-muted">
            {trans.__('Predicted label')}
          </span>
          <strong data-testid="predicted-label">
            {formatValue(p.predicted_label)}
          </strong>
        </div>
        {confidence !== null && (
          <div className="jp-AutopilotPredict-probability">
            <span className="jp-Autopilot-muted">
              {trans.__('Probability')}
            </span>
            <strong>{formatPercent(confidence, 1)}</strong>
          </div>
        )}
        {props.actual !== undefined && (
          <div className="jp-AutopilotPredict-actual">
            <span className="jp-Autopilot-muted">
              {trans.__('Actual value in the data')}
            </span>
            <strong>{props.actual ?? trans.__('missing')}</strong>
          </div>
        )}
        {classes.length > 0 && (
          <table
            className="jp-AutopilotPredict-classes"
            aria-label={trans.__('Probability of each class')}
          >
            <tbody>
              {classes.map(c => (
                <tr
                  key={c.label}
                  className={
                    String(c.label) === String(p.predicted_label)
                      ? 'jp-mod-predicted'
                      : undefined
                  }
                >
                  <th scope="row">{c.label}</th>
                  <td className="jp-AutopilotPredict-bar">
                    <ProgressBar
                      value={c.probability}
                      label={trans.__('Probability of %1', c.label)}
                    />
                  </td>
                  <td className="jp-mod-numeric">
                    {formatPercent(c.probability, 1)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    );
  }
  return (
    <div className="jp-Autopilot-tableScroll">
      <table
        className="jp-Autopilot-table"
        aria-label={trans.__('Predictions')}
      >
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{trans.__('Predicted label')}</th>
            <th scope="col" className="jp-mod-numeric">
              {trans.__('Probability')}
            </th>
            <th scope="col">{trans.__('Row')}</th>
          </tr>
        </thead>
        <tbody>
          {props.predictions.map((p, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td>
                <strong>{formatValue(p.predicted_label)}</strong>
              </td>
              <td className="jp-mod-numeric">
                {formatPercent(labelProbability(p) ?? p.probability, 1)}
              </td>
              <td className="jp-Autopilot-examples">
                {(props.rows[i] ?? []).join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
