/**
 * Test set-up through the REST API (cleaning up what a test created) and stubs of
 * API answers for the tests that must not depend on training or on AWS.
 */
import { expect } from '@jupyterlab/galata';
import type { APIRequestContext, Page, Route } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');

/** A JSON answer recorded from a real local server (ui-tests/fixtures/<name>.json). */
export function fixture<T = any>(name: string): T {
  return JSON.parse(
    fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf-8')
  );
}

const API = /\/autopilot\/api\//;

/** Route an API path (after /autopilot/api/) to a handler; `pattern` is a regex source. */
export async function routeApi(
  page: Page,
  pattern: string,
  handler: (route: Route) => Promise<void> | void
): Promise<void> {
  await page.route(new RegExp(`/autopilot/api/${pattern}(\\?.*)?$`), handler);
}

/** The ExperimentSummary fields of an Experiment. */
export function summaryOf(experiment: any): any {
  const keys = [
    'name',
    'backend',
    'status',
    'current_stage',
    'stages',
    'problem_type',
    'objective',
    'best_candidate',
    'candidates_completed',
    'created_at',
    'ended_at',
    'failure_reason',
    'tags',
    'mode'
  ];
  return Object.fromEntries(keys.map(k => [k, experiment[k]]));
}

/**
 * STUB: serve a completed experiment recorded from a real run (bank data, 5
 * candidates) under the name `canned-experiment`, with its leaderboard, candidate
 * details and artifacts, and no endpoints. For UI checks that need results but not
 * the minute of training (themes, layout, AWS-only dialogs).
 */
export async function stubCannedExperiment(
  page: Page,
  options: { others?: any[] } = {}
): Promise<any> {
  const experiment = fixture('experiment');
  experiment.created_at = new Date(Date.now() - 5 * 60 * 1000).toISOString();
  await routeApi(page, 'experiments', route =>
    route.request().method() === 'GET'
      ? route.fulfill({
          json: {
            experiments: [summaryOf(experiment), ...(options.others ?? [])],
            total: 1 + (options.others?.length ?? 0)
          }
        })
      : route.fallback()
  );
  await routeApi(page, 'experiments/canned-experiment', route =>
    route.fulfill({ json: experiment })
  );
  await routeApi(page, 'experiments/canned-experiment/candidates', route =>
    route.fulfill({ json: fixture('candidates') })
  );
  await routeApi(
    page,
    'experiments/canned-experiment/candidates/[^/?]+',
    route => route.fulfill({ json: fixture('candidate-best') })
  );
  await routeApi(page, 'experiments/canned-experiment/artifacts', route =>
    route.fulfill({ json: fixture('artifacts') })
  );
  await routeApi(page, 'endpoints', route =>
    route.request().method() === 'GET'
      ? route.fulfill({ json: { endpoints: [] } })
      : route.fallback()
  );
  return experiment;
}

/** Stop (if needed) and delete an experiment through the API; ignores a missing one. */
export async function removeExperiment(
  request: APIRequestContext,
  name: string
): Promise<void> {
  const url = `/autopilot/api/experiments/${encodeURIComponent(name)}`;
  const found = await request.get(url);
  if (found.status() === 404) {
    return;
  }
  let experiment = await found.json();
  if (['Queued', 'InProgress', 'Stopping'].includes(experiment.status)) {
    if (experiment.status !== 'Stopping') {
      await request.post(`${url}/stop`);
    }
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      experiment = await (await request.get(url)).json();
      if (!['Queued', 'InProgress', 'Stopping'].includes(experiment.status)) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }
  await request.post(`${url}/cleanup`, {
    data: { include_outputs: true, delete_experiment: true }
  });
  const left = await request.get(url);
  if (left.status() !== 404) {
    await request.delete(url);
  }
}

/** Whether a request URL is one of ours (for counting calls in tests). */
export function isApiUrl(url: string): boolean {
  return API.test(url);
}

/**
 * Wait until an experiment has ended, expect it Completed, and return it (polling its
 * REST route every `intervalMs`).
 */
export async function waitForExperiment(
  request: APIRequestContext,
  name: string,
  timeout: number,
  intervalMs = 1000
): Promise<any> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const response = await request.get(`/autopilot/api/experiments/${name}`);
    const experiment = await response.json();
    if (!['Queued', 'InProgress', 'Stopping'].includes(experiment.status)) {
      expect(experiment.status).toBe('Completed');
      return experiment;
    }
    if (Date.now() > deadline) {
      throw new Error(`Experiment ${name} still ${experiment.status}`);
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

/**
 * Write `csv` under the root as `file`, train an experiment on it (`spec` adds to or
 * overrides a small run: 2 candidates, 60 s) and wait until it is Completed.
 */
export async function trainOnCsv(
  request: APIRequestContext,
  name: string,
  file: string,
  csv: string,
  spec: Record<string, unknown>,
  timeout = 180_000
): Promise<any> {
  const put = await request.put(`/api/contents/${file}`, {
    data: { type: 'file', format: 'text', content: csv }
  });
  expect(put.ok()).toBe(true);
  const created = await request.post('/autopilot/api/experiments', {
    data: {
      name,
      input_uri: file,
      max_candidates: 2,
      max_job_runtime_seconds: 60,
      ...spec
    }
  });
  expect(created.status()).toBe(201);
  return waitForExperiment(request, name, timeout);
}

/** A seeded random number generator (mulberry32): the same test data on every run. */
export function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
