/**
 * `AutopilotClient.withBackend(name)` addresses one of the server's backends: every
 * request (JSON routes and raw invocations) carries `?backend=<name>`, in one place.
 */
import { AutopilotClient } from '../api/client';
import { settingsAnswering } from './healthServer';

/** A client whose requests are recorded (and answered with `{}`). */
function recordingClient(): { client: AutopilotClient; urls: string[] } {
  const urls: string[] = [];
  const settings = settingsAnswering(url => {
    urls.push(url);
    return {};
  });
  return { client: new AutopilotClient(settings), urls };
}

describe('AutopilotClient.withBackend', () => {
  it('adds ?backend= to every request, keeping the route query', async () => {
    const { client, urls } = recordingClient();
    const sagemaker = client.withBackend('sagemaker');
    expect(sagemaker.backend).toBe('sagemaker');
    expect(client.backend).toBeNull();
    await sagemaker.health();
    await sagemaker.listExperiments({ status: ['Completed'] } as any);
    await sagemaker.uploadDataset({ path: 'big.csv' } as any);
    await sagemaker.invoke('ep', 'a,b\n1,2\n');
    const queries = urls.map(url => new URL(url).searchParams);
    expect(queries.map(q => q.get('backend'))).toEqual([
      'sagemaker',
      'sagemaker',
      'sagemaker',
      'sagemaker'
    ]);
    expect(queries[1].get('status')).toBe('Completed');
  });

  it('sends no backend for the default one', async () => {
    const { client, urls } = recordingClient();
    await client.withBackend('local').withBackend(null).health();
    expect(new URL(urls[0]).searchParams.has('backend')).toBe(false);
    expect(client.withBackend(null)).toBe(client);
  });
});
