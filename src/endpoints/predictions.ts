/**
 * What a prediction means, as pure functions (no React, no requests).
 */

import type { Prediction } from '../api/types';

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
