import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';
import { act } from 'react';
import { createRoot, Root } from 'react-dom/client';

import { errorFromResponse } from '../api/request';
import { ErrorMessage, Field, ProgressBar } from '../components/common';
import { StageTracker } from '../components/StageTracker';
import { deployRequest } from '../widgets/dialogs';
import { labelProbability } from '../widgets/EndpointView';
import { stage } from './fixtures';

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

function render(element: React.ReactElement): void {
  act(() => root.render(element));
}

describe('ErrorMessage', () => {
  it('renders the server message as an alert, with a retry', () => {
    const retry = jest.fn();
    const error = errorFromResponse(
      501,
      JSON.stringify({
        error: 'not_implemented',
        message: 'The local backend does not support deploying models yet.'
      })
    );
    render(
      <ErrorMessage error={error} title="Deploy failed." onRetry={retry} />
    );
    const alert = container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain(
      'Deploy failed. The local backend does not support deploying models yet.'
    );
    act(() => (container.querySelector('button') as HTMLButtonElement).click());
    expect(retry).toHaveBeenCalled();
  });

  it('renders nothing without an error', () => {
    render(<ErrorMessage error={null} />);
    expect(container.innerHTML).toBe('');
  });
});

describe('Field', () => {
  it('links label, help and error for assistive technology', () => {
    render(
      <Field
        id="f"
        label="Experiment name"
        help="1-32 characters"
        error="Too long"
        required
      >
        <input id="f" />
      </Field>
    );
    expect(container.querySelector('label')?.getAttribute('for')).toBe('f');
    expect(container.querySelector('label')?.textContent).toBe(
      'Experiment name'
    );
    expect(container.querySelector('#f-help')?.textContent).toBe(
      '1-32 characters'
    );
    expect(container.querySelector('#f-error')?.textContent).toBe('Too long');
    expect(container.querySelector('.jp-mod-invalid')).not.toBeNull();
  });
});

describe('ProgressBar', () => {
  it('reports its value, or none when indeterminate', () => {
    render(<ProgressBar value={0.42} label="Rows" />);
    const bar = container.querySelector('[role="progressbar"]');
    expect(bar?.getAttribute('aria-valuenow')).toBe('42');
    render(<ProgressBar value={null} label="Rows" />);
    expect(
      container
        .querySelector('[role="progressbar"]')
        ?.hasAttribute('aria-valuenow')
    ).toBe(false);
    expect(container.querySelector('.jp-mod-indeterminate')).not.toBeNull();
  });
});

describe('StageTracker', () => {
  const stages = [
    stage({
      name: 'pre_processing',
      title: 'Pre-processing',
      status: 'done',
      started_at: '2026-01-01T00:00:00Z',
      ended_at: '2026-01-01T00:00:03Z'
    }),
    stage({
      name: 'candidate_definitions',
      title: 'Candidate Definitions Generated',
      status: 'running',
      started_at: new Date().toISOString()
    }),
    stage({ name: 'feature_engineering', title: 'Feature Engineering' }),
    stage({ name: 'model_tuning', title: 'Model Tuning' })
  ];

  it('shows the four stages, elapsed times and animates the running one', () => {
    render(<StageTracker stages={stages} live={true} />);
    const items = container.querySelectorAll('li');
    expect(items).toHaveLength(4);
    expect(items[0].getAttribute('data-status')).toBe('done');
    expect(items[0].textContent).toContain('3 s');
    expect(items[1].classList.contains('jp-mod-active')).toBe(true);
    expect(items[1].getAttribute('aria-current')).toBe('step');
    expect(items[2].textContent).toContain('Pending');
  });

  it('stops the animation when the experiment is no longer live', () => {
    render(<StageTracker stages={stages} live={false} />);
    expect(container.querySelectorAll('.jp-mod-active')).toHaveLength(0);
  });
});

describe('deploy form', () => {
  const trans = nullTranslator.load('jupyter_autopilot');
  const form = {
    candidate: 'best',
    endpointName: 'tutorial-autopilot-endpoint',
    hosting: 'instance' as const,
    instanceType: 'ml.m5.large',
    instanceCount: '1',
    memorySizeMb: '2048',
    maxConcurrency: '5'
  };
  const local = {
    features: {
      s3: false,
      upload: true,
      serverless: false,
      batch_predictions: true
    }
  };
  const aws = {
    features: {
      ...local.features,
      s3: true,
      serverless: true,
      instance_types: ['ml.m5.large']
    }
  };

  it('builds the local request without AWS fields', () => {
    expect(deployRequest(form, local, trans).request).toEqual({
      candidate: 'best',
      endpoint_name: 'tutorial-autopilot-endpoint',
      instance_type: null,
      instance_count: 1,
      serverless: null,
      inference_response_keys: ['predicted_label', 'probability']
    });
  });

  it('checks the endpoint name and the AWS hosting fields', () => {
    expect(
      deployRequest({ ...form, endpointName: 'x'.repeat(64) }, local, trans)
        .errors.endpoint_name
    ).toBe('64 characters; the limit is 63.');
    expect(
      deployRequest({ ...form, instanceCount: '11' }, aws, trans).errors
        .instance_count
    ).toMatch(/1 to 10/);
    expect(
      deployRequest(
        { ...form, hosting: 'serverless', memorySizeMb: '1000' },
        aws,
        trans
      ).errors.serverless
    ).toMatch(/1024 to 6144/);
    expect(
      deployRequest({ ...form, hosting: 'serverless' }, aws, trans).request
        ?.serverless
    ).toEqual({
      memory_size_mb: 2048,
      max_concurrency: 5
    });
    expect(
      deployRequest({ ...form, instanceCount: '2' }, aws, trans).request
    ).toMatchObject({
      instance_type: 'ml.m5.large',
      instance_count: 2
    });
  });
});

describe('labelProbability', () => {
  it('reads the predicted label’s probability from the per-class list', () => {
    expect(
      labelProbability({
        predicted_label: 'no',
        probability: 0.002,
        labels: ['no', 'yes'],
        probabilities: [0.998, 0.002]
      })
    ).toBe(0.998);
    expect(
      labelProbability({
        predicted_label: 'no',
        probability: 0.2,
        labels: null,
        probabilities: null
      })
    ).toBeNull();
  });
});
