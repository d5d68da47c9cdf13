/**
 * How endpoints are hosted and what they cost, as words (sidebar and views).
 */
import type { Endpoint } from '../api/types';
import { formatUsd } from '../format';
import { identityTrans, Trans } from '../logic/trans';

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

/** Why a deploy option is off (null: it is available). */
export interface IDeployExclusions {
  /** Splitting traffic between candidates (production variants). */
  split: string | null;
  /** Data capture for monitoring. */
  capture: string | null;
  /** Serverless hosting itself. */
  serverless: string | null;
}

/**
 * What SageMaker Serverless Inference excludes ("Feature exclusions" in the SageMaker
 * developer guide), as the deploy dialog shows it: one production variant, no data
 * capture, no VPC. The server refuses the same combinations with a 400.
 */
export function deployExclusions(
  hosting: 'instance' | 'serverless',
  inVpc: boolean,
  trans: Trans = identityTrans
): IDeployExclusions {
  const serverless = hosting === 'serverless';
  return {
    split: serverless
      ? trans.__('A serverless endpoint serves a single model.')
      : null,
    capture: serverless
      ? trans.__('Serverless endpoints do not capture data.')
      : null,
    serverless: inVpc
      ? trans.__(
          'This experiment ran in a VPC, which serverless endpoints do not support: choose instances.'
        )
      : null
  };
}
