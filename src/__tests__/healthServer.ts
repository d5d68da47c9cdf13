/**
 * For the model tests: an AutopilotModel on a server offering `backends` (the first
 * is the default) that answers only `health`, naming the backend asked (`?backend=`).
 */
import { ServerConnection } from '@jupyterlab/services';

import { AutopilotClient } from '../api/client';
import { AutopilotModel } from '../model';

/** The model, and the `?backend=` of each health request in order (null: none). */
export function modelOnServer(backends: string[]): {
  root: AutopilotModel;
  asked: (string | null)[];
} {
  const asked: (string | null)[] = [];
  const settings = settingsAnswering(input => {
    const backend = new URL(input).searchParams.get('backend');
    asked.push(backend);
    return {
      backend: backend ?? backends[0],
      features: { s3: backend === 'sagemaker' },
      defaults: { minimized_metrics: [] },
      backends: backends.map((name, i) => ({
        name,
        default: i === 0,
        usable: true,
        reason: null
      }))
    };
  });
  return {
    root: new AutopilotModel({ client: new AutopilotClient(settings) }),
    asked
  };
}

/**
 * Server settings whose fetch answers every request with `respond(url)` as JSON (200),
 * for tests that record or fake what the client asks.
 */
export function settingsAnswering(
  respond: (url: string) => unknown
): ServerConnection.ISettings {
  const fetch = (async (input: RequestInfo) => {
    const url = typeof input === 'string' ? input : input.url;
    return new Response(JSON.stringify(respond(url)), {
      status: 200,
      headers: { 'Content-Type': 'application/json' }
    });
  }) as typeof window.fetch;
  return ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/',
    fetch
  });
}
