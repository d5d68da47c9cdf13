/**
 * What a prediction means and what a batch prediction asks for, as pure functions
 * (no React, no requests).
 */

import type { BatchPredictionRequest, Prediction } from '../api/types';

/** The probability of the predicted label (from per-class probabilities when given). */
export function labelProbability(p: Prediction): number | null {
  if (p.labels && p.probabilities) {
    const index = p.labels.findIndex(
      l => String(l) === String(p.predicted_label)
    );
    if (index >= 0 && typeof p.probabilities[index] === 'number') {
      return p.probabilities[index];
    }
  }
  return null;
}

/** What the batch prediction form holds. */
export interface IBatchForm {
  input: string;
  output: string;
  overwrite: boolean;
}

/**
 * The request of the batch prediction form: a blank output asks for the server's
 * default (`<input>.predictions.csv` next to the input). An existing output file is
 * replaced only when the user ticked `overwrite` (the server refuses it otherwise).
 */
export function batchRequest(form: IBatchForm): BatchPredictionRequest {
  return {
    input_path: form.input.trim(),
    output_path: form.output.trim() || null,
    overwrite: form.overwrite,
    inference_response_keys: null
  };
}
