/**
 * How endpoints are hosted and what they cost, as words (sidebar and views).
 */
import type { BatchPredictionRequest, Endpoint } from '../api/types';
import { formatUsd } from '../format';
import { identityTrans, Trans } from './validation';

/** AWS's price list for SageMaker (the server's prices are approximate, us-east-1). */
export const SAGEMAKER_PRICING_URL =
  'https://aws.amazon.com/sagemaker/pricing/';

/** How an endpoint is hosted, and what it costs per hour when known. */
export function hostingText(
  e: Pick<
    Endpoint,
    'serverless' | 'instance_type' | 'instance_count' | 'hourly_cost_usd'
  >,
  trans: Trans = identityTrans
): string {
  if (e.serverless) {
    return trans.__('Serverless · billed per request');
  }
  if (!e.instance_type) {
    return '';
  }
  const hosting = `${e.instance_type} × ${e.instance_count ?? 1}`;
  return e.hourly_cost_usd
    ? trans.__('%1 · about %2/hour', hosting, formatUsd(e.hourly_cost_usd))
    : hosting;
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
