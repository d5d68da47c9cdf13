/**
 * The views that rank by a metric ask for nothing before the server said which
 * metrics are minimised (AutopilotModel.metricDirectionsKnown).
 */
import type { Contents } from '@jupyterlab/services';
import type { Widget } from '@lumino/widgets';

import { AutopilotClient } from '../api/client';
import type { Health } from '../api/types';
import { EndpointView } from '../endpoints/EndpointView';
import { ExperimentView } from '../experiments/ExperimentView';
import { isMaximized, setMinimizedMetrics } from '../logic/metrics';
import { AutopilotModel, IAutopilotActions } from '../model';
import { TrialsView } from '../trials/TrialsView';
import { MINIMIZED_METRICS } from './fixtures';

const actions = {} as IAutopilotActions;

/** The three views, and the request each one's first load makes. */
const VIEWS: Array<[string, (model: AutopilotModel) => Widget, string]> = [
  [
    'ExperimentView',
    model => new ExperimentView({ name: 'churn', model, actions }),
    'getExperiment'
  ],
  [
    'TrialsView',
    model =>
      new TrialsView({
        model,
        actions,
        contents: {} as Contents.IManager
      }),
    'listExperiments'
  ],
  [
    'EndpointView',
    model => new EndpointView({ name: 'churn-ep', model, actions }),
    'getEndpoint'
  ]
];

/** A client whose health answers when the test says; other requests never answer. */
function fakeClient() {
  const calls: string[] = [];
  const health: {
    resolve?: (h: Health) => void;
    reject?: (e: unknown) => void;
  } = {};
  const never = (name: string) => () => {
    calls.push(name);
    return new Promise(() => undefined);
  };
  const client = {
    health: () => {
      calls.push('health');
      return new Promise<Health>((resolve, reject) => {
        health.resolve = resolve;
        health.reject = reject;
      });
    },
    getExperiment: never('getExperiment'),
    listExperiments: never('listExperiments'),
    getEndpoint: never('getEndpoint')
  };
  return { client: client as unknown as AutopilotClient, calls, health };
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0));

/** A view's poll tick (protected; the poll itself stands by while detached). */
const load = (view: Widget) =>
  void (view as unknown as { load: () => Promise<boolean> }).load();

describe('views that rank by a metric', () => {
  afterEach(() => setMinimizedMetrics([]));

  it.each(VIEWS)(
    '%s loads only after the minimised metrics are known',
    async (_, make, request) => {
      const { client, calls, health } = fakeClient();
      const model = new AutopilotModel({ client });
      const view = make(model);
      load(view);
      await flush();
      expect(calls).toEqual(['health']);

      health.resolve!({
        defaults: { minimized_metrics: MINIMIZED_METRICS }
      } as unknown as Health);
      await flush();
      expect(calls).toEqual(['health', request]);
      expect(isMaximized('RMSE')).toBe(false);

      // Known now: the next tick does not ask again.
      load(view);
      await flush();
      expect(calls).toEqual(['health', request, request]);
      view.dispose();
    }
  );

  it.each(VIEWS)(
    '%s still loads when the health request fails',
    async (_, make, request) => {
      const { client, calls, health } = fakeClient();
      const view = make(new AutopilotModel({ client }));
      load(view);
      await flush();
      health.reject!(new Error('server extension not reachable'));
      await flush();
      expect(calls).toEqual(['health', request]);
      view.dispose();
    }
  );
});
