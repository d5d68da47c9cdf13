import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Every route of the server extension lives under this prefix. */
export const API_PREFIX = 'autopilot/api';

/**
 * An error answered by the Autopilot API, with the server's machine-readable code
 * and its human-readable message (which says what to fix).
 */
export class AutopilotAPIError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Array<{ field?: string; message?: string }>
  ) {
    super(message);
    this.name = 'AutopilotAPIError';
  }
}

/**
 * Turn an error response body into an AutopilotAPIError.
 *
 * The server answers `{"error": code, "message": text}`; proxies and the Jupyter
 * server itself may answer HTML or nothing, which still yields a readable message.
 */
export function errorFromResponse(
  status: number,
  body: string
): AutopilotAPIError {
  let parsed: any = undefined;
  try {
    parsed = body ? JSON.parse(body) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed.message === 'string') {
    return new AutopilotAPIError(
      status,
      typeof parsed.error === 'string' ? parsed.error : 'error',
      parsed.message,
      parsed.details ?? undefined
    );
  }
  if (status === 404) {
    return new AutopilotAPIError(
      status,
      'not_found',
      'The Autopilot server extension did not answer. Is the jupyter_autopilot server extension installed and enabled? (`jupyter server extension list`)'
    );
  }
  if (status === 403) {
    return new AutopilotAPIError(
      status,
      'forbidden',
      'The server refused the request: you are not logged in or not allowed to do this.'
    );
  }
  return new AutopilotAPIError(
    status,
    'http_error',
    `The server answered HTTP ${status}.`
  );
}

/** Options of one API request. */
export interface IRequestOptions {
  method?: string;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  accept?: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  signal?: AbortSignal;
}

/** Build `autopilot/api/<path>?<query>` under the server's base URL. */
export function apiUrl(
  settings: ServerConnection.ISettings,
  path: string,
  query?: IRequestOptions['query']
): string {
  const url = URLExt.join(settings.baseUrl, API_PREFIX, path);
  const params = Object.entries(query ?? {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(
      ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`
    );
  return params.length ? `${url}?${params.join('&')}` : url;
}

/**
 * Call the Autopilot REST API through JupyterLab's ServerConnection (which adds the
 * token and XSRF headers) and return the parsed JSON (or text for non-JSON answers).
 */
export async function requestAPI<T>(
  path: string,
  settings: ServerConnection.ISettings,
  options: IRequestOptions = {}
): Promise<T> {
  return (await requestAPIWithHeaders<T>(path, settings, options)).body;
}

/** Like `requestAPI`, with the response headers too (e.g. the invoked variant). */
export async function requestAPIWithHeaders<T>(
  path: string,
  settings: ServerConnection.ISettings,
  options: IRequestOptions = {}
): Promise<{ body: T; headers: Headers }> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (options.rawBody !== undefined) {
    body = options.rawBody;
    headers['Content-Type'] = options.contentType ?? 'text/csv';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  if (options.accept) {
    headers['Accept'] = options.accept;
  }
  const init: RequestInit = {
    // Not 'no-store': for that, ServerConnection appends a `?<timestamp>` cache
    // buster, which the API's strict query validation rejects as an unknown
    // parameter. 'no-cache' still revalidates every answer.
    cache: 'no-cache',
    method: options.method ?? 'GET',
    body,
    headers,
    signal: options.signal
  };
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(
      apiUrl(settings, path, options.query),
      init,
      settings
    );
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }
  const text = await response.text();
  if (!response.ok) {
    throw errorFromResponse(response.status, text);
  }
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('application/json')) {
    return {
      body: (text ? JSON.parse(text) : {}) as T,
      headers: response.headers
    };
  }
  return { body: text as unknown as T, headers: response.headers };
}
