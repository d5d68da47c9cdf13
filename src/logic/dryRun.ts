/**
 * Dry-run mode of the sagemaker backend: the AWS requests an operation would
 * have sent, from `backend_details` of an Experiment or Endpoint.
 */

/** One request that was validated but not sent. */
export interface IDryRunRequest {
  service: string;
  operation: string;
  params: Record<string, unknown>;
}

/** Whether a response comes from dry-run mode (nothing was created on AWS). */
export function isDryRun(
  details: Record<string, string> | undefined | null
): boolean {
  return details?.dry_run === 'true';
}

/**
 * The requests in `backend_details.dry_run_requests` (a JSON array of
 * `{service, operation, params}`), in the order they would be sent. Entries
 * that are not objects are skipped; text that is not JSON gives null.
 */
export function dryRunRequests(
  details: Record<string, string> | undefined | null
): IDryRunRequest[] | null {
  const text = details?.dry_run_requests;
  if (!text) {
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) {
    return null;
  }
  return parsed
    .filter(
      (r): r is Record<string, unknown> =>
        !!r && typeof r === 'object' && !Array.isArray(r)
    )
    .map(r => ({
      service: String(r.service ?? ''),
      operation: String(r.operation ?? ''),
      params:
        r.params && typeof r.params === 'object' && !Array.isArray(r.params)
          ? (r.params as Record<string, unknown>)
          : {}
    }));
}

/** Parameters that identify what a request acts on (names, bucket and key). */
const IDENTIFYING = /(Name|Bucket|Key|Arn)$/;

/**
 * A one-line summary of a request's target, e.g. `AutoMLJobName=tutorial` or
 * `s3://bucket/key`, for the collapsed view.
 */
export function requestTarget(request: IDryRunRequest): string {
  const p = request.params;
  if (typeof p.Bucket === 'string' && typeof p.Key === 'string') {
    return `s3://${p.Bucket}/${p.Key}`;
  }
  if (typeof p.Bucket === 'string') {
    return `s3://${p.Bucket}`;
  }
  const names = Object.entries(p)
    .filter(([k, v]) => IDENTIFYING.test(k) && typeof v === 'string')
    .slice(0, 2)
    .map(([k, v]) => `${k}=${v as string}`);
  return names.join(', ');
}

/** The parameters as indented JSON (what the AWS CLI's --cli-input-json takes). */
export function formatParams(params: Record<string, unknown>): string {
  return JSON.stringify(params, null, 2);
}
