import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';
import { act } from 'react';
import { createRoot, Root } from 'react-dom/client';

import { errorFromResponse } from '../api/request';
import { ErrorMessage, Field, ProgressBar } from '../common/components';
import { DryRunRequests } from '../common/DryRunRequests';
import { DataChecks } from '../create/DataChecks';
import { deployExclusions } from '../deploy/hosting';
import { artifactDeployRequest, deployRequest } from '../deploy/requests';
import { labelProbability } from '../endpoints/predictions';
import { VariantsSection } from '../endpoints/Variants';
import { ExperimentRow, HealthBanner } from '../experiments/ExperimentsPanel';
import { StageTracker } from '../experiments/StageTracker';
import { AutopilotModel } from '../model';
import { stage, summary } from './fixtures';

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

  it('shows a determinate bar when the running stage reports progress', () => {
    const tuning = [
      ...stages.slice(0, 3).map(s => ({ ...s, status: 'done' as const })),
      stage({
        name: 'model_tuning',
        title: 'Model Tuning',
        status: 'running',
        started_at: new Date().toISOString(),
        progress: 0.375
      })
    ];
    render(<StageTracker stages={tuning} live={true} />);
    const bars = container.querySelectorAll('[role="progressbar"]');
    expect(bars).toHaveLength(1);
    expect(bars[0].getAttribute('aria-valuenow')).toBe('38');
    expect(bars[0].getAttribute('aria-label')).toBe('Model Tuning progress');
    const item = container.querySelector('[data-stage="model_tuning"]');
    expect(item?.classList.contains('jp-mod-determinate')).toBe(true);
    expect(item?.textContent).toContain('In progress 38%');
    expect(
      (item?.querySelector('.jp-Autopilot-stageBarFill') as HTMLElement).style
        .width
    ).toBe('37.5%');
    // Done stages keep their progress (1.0) but show no bar of their own.
    expect(
      container
        .querySelector('[data-stage="pre_processing"]')
        ?.classList.contains('jp-mod-determinate')
    ).toBe(false);
  });

  it('keeps the indeterminate animation without progress', () => {
    render(<StageTracker stages={stages} live={true} />);
    expect(container.querySelectorAll('[role="progressbar"]')).toHaveLength(0);
    expect(container.querySelectorAll('.jp-mod-determinate')).toHaveLength(0);
  });
});

describe('DataChecks', () => {
  const leak = {
    code: 'post_outcome_feature',
    severity: 'warning' as const,
    column: 'duration',
    message: 'duration is known only after the call.',
    suggestion: 'Exclude duration.'
  };
  const note = {
    code: 'class_imbalance',
    severity: 'info' as const,
    column: 'y',
    message: 'The classes are imbalanced.',
    suggestion: null
  };

  it('lists column warnings with one-click exclusion, and notes', () => {
    const exclude = jest.fn();
    render(
      <DataChecks
        status="done"
        columnWarnings={[leak]}
        notes={[note]}
        onExclude={exclude}
        backend="local"
        name={{ name: 'tutorial', available: false }}
      />
    );
    const region = container.querySelector('[aria-label="Data checks"]');
    expect(region?.textContent).toContain('Check 1 column before you start:');
    expect(region?.textContent).toContain('The name tutorial is taken');
    expect(
      container.querySelector('[aria-label="Notes about the data"]')
        ?.textContent
    ).toContain('imbalanced');
    const button = container.querySelector(
      '[data-column="duration"] button'
    ) as HTMLButtonElement;
    expect(button.textContent).toBe('Exclude duration');
    act(() => button.click());
    expect(exclude).toHaveBeenCalledWith('duration');
  });

  it('says what it is doing, or that the backend checks later', () => {
    render(
      <DataChecks
        status="checking"
        columnWarnings={[]}
        notes={[]}
        onExclude={jest.fn()}
        backend="local"
      />
    );
    expect(container.textContent).toContain('Checking the data…');
    expect(container.querySelector('[aria-busy="true"]')).not.toBeNull();
    render(
      <DataChecks
        status="done"
        columnWarnings={[]}
        notes={[]}
        onExclude={jest.fn()}
        backend="local"
        name={{ name: 'tutorial', available: true }}
      />
    );
    expect(container.textContent).toContain('No problems found in the data.');
    expect(container.textContent).toContain('The name tutorial is available.');
    render(
      <DataChecks
        status="unsupported"
        columnWarnings={[]}
        notes={[]}
        onExclude={jest.fn()}
        backend="sagemaker"
      />
    );
    expect(container.textContent).toContain(
      'The sagemaker backend checks the data when the experiment starts'
    );
    render(
      <DataChecks
        status="idle"
        columnWarnings={[]}
        notes={[]}
        onExclude={jest.fn()}
        backend="local"
      />
    );
    expect(container.innerHTML).toBe('');
  });

  it('shows why creating would fail', () => {
    const error = errorFromResponse(
      400,
      JSON.stringify({
        error: 'invalid_dataset',
        message: "The target column 'nope' is not a column of the file."
      })
    );
    render(
      <DataChecks
        status="failed"
        error={error}
        columnWarnings={[]}
        notes={[]}
        onExclude={jest.fn()}
        backend="local"
      />
    );
    expect(container.querySelector('[role="alert"]')?.textContent).toContain(
      "Creating this experiment would fail: The target column 'nope'"
    );
  });
});

describe('DryRunRequests', () => {
  it('lists the requests not sent, the last one expanded', () => {
    render(
      <DryRunRequests
        what="Creating this experiment"
        details={{
          dry_run: 'true',
          dry_run_requests: JSON.stringify([
            {
              service: 's3',
              operation: 'PutObject',
              params: { Bucket: 'b', Key: 'spec.json' }
            },
            {
              service: 'sagemaker',
              operation: 'CreateAutoMLJobV2',
              params: { AutoMLJobName: 'tutorial' }
            }
          ])
        }}
      />
    );
    const items = container.querySelectorAll(
      '[aria-label="Requests not sent"] > li'
    );
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain('s3 PutObject · s3://b/spec.json');
    expect(items[0].querySelector('details')?.open).toBe(false);
    expect(items[1].querySelector('details')?.open).toBe(true);
    expect(items[1].querySelector('pre')?.textContent).toBe(
      '{\n  "AutoMLJobName": "tutorial"\n}'
    );
    expect(container.textContent).toContain(
      'Creating this experiment was checked against the AWS API but not sent'
    );
  });

  it('says so when the requests cannot be read', () => {
    render(
      <DryRunRequests what="X" details={{ dry_run_requests: 'not json' }} />
    );
    expect(container.textContent).toContain('cannot read');
  });
});

describe('HealthBanner', () => {
  const health = {
    status: 'ok',
    backend: 'sagemaker',
    version: '0.1.0',
    dry_run: false,
    warnings: [
      '1 endpoint(s) running in us-east-1, about USD 0.12 per hour (approximate): x.'
    ]
  } as any;

  it('shows the backend’s warnings until dismissed', () => {
    render(<HealthBanner health={health} />);
    const banner = container.querySelector('[aria-label="Backend notices"]');
    expect(banner?.textContent).toContain('about USD 0.12 per hour');
    expect(banner?.classList.contains('jp-mod-warning')).toBe(true);
    act(() =>
      (
        container.querySelector(
          '[aria-label="Dismiss the notices"]'
        ) as HTMLButtonElement
      ).click()
    );
    expect(
      container.querySelector('[aria-label="Backend notices"]')
    ).toBeNull();
    // New notices show again.
    render(
      <HealthBanner
        health={{ ...health, warnings: ['No credentials.'], status: 'error' }}
      />
    );
    expect(
      container.querySelector('[aria-label="Backend notices"]')?.textContent
    ).toContain('The sagemaker backend reports a problem');
  });

  it('titles a dry run, and shows nothing without warnings', () => {
    render(
      <HealthBanner
        health={{ ...health, dry_run: true, warnings: ['Dry run: …'] }}
      />
    );
    expect(container.textContent).toContain(
      'Dry run: AWS requests are shown, not sent'
    );
    render(<HealthBanner health={{ ...health, warnings: [] }} />);
    expect(container.innerHTML).toBe('');
  });
});

describe('ExperimentRow', () => {
  it('labels pilot runs', () => {
    render(
      <ExperimentRow
        experiment={summary({ name: 'pilot-run', mode: 'pilot' })}
        onOpen={jest.fn()}
      />
    );
    const button = container.querySelector('button') as HTMLButtonElement;
    expect(button.getAttribute('aria-label')).toBe(
      'Open experiment pilot-run (Completed, pilot run)'
    );
    expect(container.querySelector('.jp-mod-pilot')?.textContent).toBe('Pilot');
    expect(button.textContent).toContain('Definitions ready');
    render(
      <ExperimentRow
        experiment={summary({
          name: 'full-run',
          mode: 'complete',
          candidates_completed: 3
        })}
        onOpen={jest.fn()}
      />
    );
    expect(container.querySelector('.jp-mod-pilot')).toBeNull();
    expect(container.textContent).toContain('3 candidates');
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
      inference_response_keys: null,
      data_capture: null,
      variants: null
    });
  });

  it('asks for data capture where the backend monitors endpoints', () => {
    const capture = { ...form, capture: true, samplingPercentage: '25' };
    expect(deployRequest(capture, local, trans).request?.data_capture).toEqual({
      enabled: true,
      sampling_percentage: 25
    });
    expect(
      deployRequest({ ...capture, samplingPercentage: '0' }, local, trans)
        .errors.data_capture
    ).toMatch(/1 to 100/);
    // Not on a backend that answers 501 for monitoring.
    const noMonitoring = {
      features: { ...aws.features, not_implemented: ['monitoring_status'] }
    };
    expect(
      deployRequest(capture, noMonitoring, trans).request?.data_capture
    ).toBeNull();
  });

  it('sends variants instead of a candidate when traffic is split', () => {
    const split = {
      ...form,
      split: true,
      variants: [
        { candidate: 'best', weight: '50', name: 'variant-1' },
        { candidate: 'second', weight: '50', name: 'variant-2' }
      ]
    };
    const request = deployRequest(split, local, trans).request;
    expect(request).toEqual({
      endpoint_name: 'tutorial-autopilot-endpoint',
      instance_type: null,
      instance_count: 1,
      serverless: null,
      inference_response_keys: null,
      data_capture: null,
      variants: [
        { candidate: 'best', weight: 50, name: 'variant-1' },
        { candidate: 'second', weight: 50, name: 'variant-2' }
      ]
    });
    expect(request).not.toHaveProperty('candidate');
    const zero = split.variants.map(v => ({ ...v, weight: '0' }));
    expect(
      deployRequest({ ...split, variants: zero }, local, trans).errors.variants
    ).toMatch(/weight above 0/);
    // Not where the backend cannot split traffic: the single candidate is sent.
    const noSplit = {
      features: { ...aws.features, not_implemented: ['update_traffic'] }
    };
    expect(deployRequest(split, noSplit, trans).request).toMatchObject({
      candidate: 'best',
      variants: null
    });
  });

  it('leaves out what serverless endpoints exclude (variants, capture, VPC)', () => {
    const serverless = {
      ...form,
      hosting: 'serverless' as const,
      capture: true,
      split: true,
      variants: [
        { candidate: 'best', weight: '50', name: 'variant-1' },
        { candidate: 'second', weight: '50', name: 'variant-2' }
      ]
    };
    // On instances both are sent...
    const onInstances = deployRequest(
      { ...serverless, hosting: 'instance' },
      aws,
      trans
    ).request;
    expect(onInstances?.variants).toHaveLength(2);
    expect(onInstances?.data_capture).toEqual({
      enabled: true,
      sampling_percentage: 100
    });
    // ...serverless: one candidate, no capture (the form disables both).
    expect(deployRequest(serverless, aws, trans).request).toMatchObject({
      candidate: 'best',
      serverless: { memory_size_mb: 2048, max_concurrency: 5 },
      data_capture: null,
      variants: null
    });
    expect(deployExclusions('serverless', false, trans)).toEqual({
      split: 'A serverless endpoint serves a single model.',
      capture: 'Serverless endpoints do not capture data.',
      serverless: null
    });
    expect(deployExclusions('instance', false, trans)).toEqual({
      split: null,
      capture: null,
      serverless: null
    });
    // An experiment in a VPC cannot be served serverless.
    expect(
      deployRequest({ ...serverless, inVpc: true }, aws, trans).errors
        .serverless
    ).toMatch(/VPC/);
    expect(
      deployRequest({ ...form, inVpc: true }, aws, trans).request
    ).not.toBeNull();
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

describe('deploy exported model form', () => {
  const trans = nullTranslator.load('jupyter_autopilot');
  const aws = {
    features: {
      s3: true,
      upload: false,
      serverless: true,
      batch_predictions: false,
      instance_types: ['ml.m5.large']
    }
  };
  const form = {
    artifact: 'autopilot/exports/bank/xgb-2/model.tar.gz',
    endpointName: 'xgb-2-endpoint',
    imageUri: '',
    hosting: 'instance' as const,
    instanceType: 'ml.m5.large',
    instanceCount: '1',
    memorySizeMb: '2048',
    maxConcurrency: '5'
  };

  it('builds the artifact deploy request', () => {
    expect(artifactDeployRequest(form, aws, trans).request).toEqual({
      artifact: 'autopilot/exports/bank/xgb-2/model.tar.gz',
      endpoint_name: 'xgb-2-endpoint',
      image_uri: null,
      instance_type: 'ml.m5.large',
      instance_count: 1,
      serverless: null,
      inference_response_keys: ['predicted_label', 'probability']
    });
    expect(
      artifactDeployRequest(
        { ...form, hosting: 'serverless', imageUri: ' my/image:1 ' },
        aws,
        trans
      ).request
    ).toMatchObject({
      image_uri: 'my/image:1',
      instance_type: null,
      serverless: { memory_size_mb: 2048, max_concurrency: 5 }
    });
  });

  it('says what to fix', () => {
    const { request, errors } = artifactDeployRequest(
      {
        ...form,
        artifact: 'model.zip',
        endpointName: 'bad name',
        instanceCount: '0'
      },
      aws,
      trans
    );
    expect(request).toBeNull();
    expect(Object.keys(errors).sort()).toEqual([
      'artifact',
      'endpoint_name',
      'instance_count'
    ]);
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

describe('VariantsSection', () => {
  const endpoint = {
    name: 'ab',
    backend: 'local',
    status: 'InService' as const,
    created_at: '2026-01-01T00:00:00Z',
    objective_metric: 'F1',
    variants: [
      {
        name: 'champion',
        candidate: 'ensemble-1',
        algorithm: 'ensemble',
        objective_value: 0.9,
        metrics: { F1: 0.9, LogLoss: 0.3 },
        weight: 1,
        traffic_share: 0.5,
        invocation_count: 12,
        latency: { p50_ms: 3.2, p95_ms: 5, p99_ms: 8.75, samples: 12 }
      },
      {
        name: 'challenger',
        candidate: 'xgb-2',
        algorithm: 'xgboost',
        objective_value: 0.8,
        metrics: { F1: 0.8, LogLoss: 0.2 },
        weight: 1,
        traffic_share: 0.5,
        invocation_count: 8,
        latency: { p50_ms: 2.1, p95_ms: 4, p99_ms: 6, samples: 8 }
      }
    ]
  } as any;

  function setup(updateTraffic = jest.fn()) {
    const model = new AutopilotModel({ client: { updateTraffic } as any });
    const onUpdated = jest.fn();
    render(
      <VariantsSection
        endpoint={endpoint}
        model={model}
        onUpdated={onUpdated}
      />
    );
    return { updateTraffic, onUpdated };
  }

  function input(label: string): HTMLInputElement {
    return container.querySelector(
      `input[aria-label="${label}"]`
    ) as HTMLInputElement;
  }

  function type(element: HTMLInputElement, value: string) {
    const setter = Object.getOwnPropertyDescriptor(
      HTMLInputElement.prototype,
      'value'
    )?.set;
    act(() => {
      setter?.call(element, value);
      element.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }

  function button(text: string): HTMLButtonElement {
    return Array.from(container.querySelectorAll('button')).find(b =>
      b.textContent?.includes(text)
    ) as HTMLButtonElement;
  }

  it('renders nothing for a single-model endpoint', () => {
    const model = new AutopilotModel({ client: {} as any });
    render(
      <VariantsSection
        endpoint={{ ...endpoint, variants: [] }}
        model={model}
        onUpdated={jest.fn()}
      />
    );
    expect(container.innerHTML).toBe('');
  });

  it('shows the variants side by side with the best values marked', () => {
    setup();
    const rows = container.querySelectorAll(
      'table[aria-label="Production variants"] tbody tr'
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].getAttribute('data-variant')).toBe('champion');
    expect(rows[0].textContent).toContain('ensemble-1');
    expect(rows[0].textContent).toContain('0.9000 ★(best)');
    expect(rows[0].textContent).toContain('50%');
    expect(rows[0].textContent).toContain('3.2 ms');
    expect(rows[0].textContent).toContain('8.8 ms');
    expect(rows[0].textContent).toContain('60%'); // of the invocations
    const logLoss = container.querySelector('tr[data-metric="LogLoss"]');
    expect(logLoss?.querySelectorAll('.jp-mod-bestValue')).toHaveLength(1);
    expect(logLoss?.querySelectorAll('td')[1].textContent).toContain('★');
    expect(input('Weight of champion').value).toBe('1');
    expect(button('Save weights').disabled).toBe(true);
  });

  it('saves edited weights', async () => {
    const updated = { ...endpoint };
    const { updateTraffic, onUpdated } = setup(
      jest.fn().mockResolvedValue(updated)
    );
    type(input('Weight of champion'), '3');
    expect(container.textContent).toContain('after saving: 75%');
    expect(container.textContent).toContain('Not saved');
    expect(button('Save weights').disabled).toBe(false);
    type(input('Weight of challenger'), '-1');
    expect(button('Save weights').disabled).toBe(true);
    expect(container.textContent).toContain(
      'challenger: Enter a weight from 0 to 1000.'
    );
    type(input('Weight of challenger'), '1');
    await act(async () => button('Save weights').click());
    expect(updateTraffic).toHaveBeenCalledWith('ab', {
      champion: 3,
      challenger: 1
    });
    expect(onUpdated).toHaveBeenCalledWith(updated);
  });
});
