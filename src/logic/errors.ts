/**
 * Turning whatever a request threw into text a user can act on.
 *
 * Panels never show a blank area on failure: they render `errorMessage(error)`.
 */
import { ServerConnection } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';

import { AutopilotAPIError } from '../api/request';
import { Trans, identityTrans } from './trans';

/** One problem with one form field, as the server reports it in `details`. */
export interface IFieldProblem {
  field: string;
  message: string;
}

/** Readable text for any error thrown by the API client (or anything else). */
export function errorMessage(
  error: unknown,
  trans?: TranslationBundle
): string {
  const t: Trans = trans ?? identityTrans;
  if (error instanceof AutopilotAPIError) {
    const message = error.message.trim();
    if (error.status === 501) {
      return message || t.__('This backend does not support this action yet.');
    }
    if (error.status >= 500 && !message) {
      return t.__(
        'The server failed (HTTP %1). The Jupyter server log has the details.',
        error.status
      );
    }
    return message || t.__('The server answered HTTP %1.', error.status);
  }
  if (error instanceof ServerConnection.NetworkError) {
    return t.__(
      'Cannot reach the Jupyter server. Check that it is still running and that you are online, then try again.'
    );
  }
  if (error instanceof Error) {
    if (error.name === 'AbortError') {
      return t.__('The request was cancelled.');
    }
    return error.message || error.name;
  }
  if (typeof error === 'string') {
    return error;
  }
  return t.__('Something went wrong.');
}

/** True when the error says the backend lacks this operation (HTTP 501). */
export function isNotImplemented(error: unknown): boolean {
  return error instanceof AutopilotAPIError && error.status === 501;
}

/** True when the error says the resource does not exist (HTTP 404 from our API). */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof AutopilotAPIError &&
    error.status === 404 &&
    error.code === 'not_found'
  );
}

/**
 * Per-field problems of a 400 answer, keyed by the top-level request field
 * (`vpc_config.subnets.0` -> `vpc_config`; problems about the whole body -> `''`).
 *
 * Several problems on the same field are joined into one message.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof AutopilotAPIError) || !error.details) {
    return out;
  }
  for (const detail of error.details) {
    if (!detail) {
      continue;
    }
    const key = topLevelField(detail.field ?? '');
    // Some errors name the field without their own message: the main message applies.
    const message = cleanPydanticMessage(
      typeof detail.message === 'string' && detail.message
        ? detail.message
        : error.message
    );
    out[key] = out[key] ? `${out[key]}; ${message}` : message;
  }
  return out;
}

/** Nested blocks whose own fields each have an input (keyed `block.field`). */
const NESTED_FIELDS = new Set(['forecast']);

/**
 * `body.vpc_config.subnets.0` -> `vpc_config`; `body` or `` -> `` (the whole request);
 * `body.forecast.quantiles.0` -> `forecast.quantiles` (the forecast block's fields are
 * inputs of their own).
 */
export function topLevelField(path: string): string {
  const parts = path
    .split('.')
    .filter(part => part !== '' && part !== 'body' && !/^\d+$/.test(part));
  const first = parts[0] ?? '';
  if (NESTED_FIELDS.has(first) && parts.length > 1) {
    return `${first}.${parts[1]}`;
  }
  return first;
}

/** Pydantic prefixes messages with "Value error, "; users do not need that. */
export function cleanPydanticMessage(message: string): string {
  return message.replace(/^(Value|Assertion) error, /, '').trim();
}
