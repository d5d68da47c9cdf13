import { nullTranslator } from '@jupyterlab/translation';

import { deployExclusions } from '../hosting';
import { artifactDeployRequest, deployRequest } from '../requests';

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
      batch_predictions: true,
      forecasting: false,
      explanations: true
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
      explanations: false,
      variants: null
    });
  });

  it('asks SageMaker for explanations of one model on instances', () => {
    const explain = { ...form, explain: true };
    expect(deployRequest(explain, aws, trans).request?.explanations).toBe(true);
    // Local endpoints always explain: nothing to ask.
    expect(deployRequest(explain, local, trans).request?.explanations).toBe(
      false
    );
    const serverless = { ...explain, hosting: 'serverless' as const };
    expect(deployRequest(serverless, aws, trans).errors.explanations).toMatch(
      /instance type/
    );
    const split = {
      ...explain,
      split: true,
      variants: [
        { candidate: 'best', weight: '50', name: 'variant-1' },
        { candidate: 'second', weight: '50', name: 'variant-2' }
      ]
    };
    expect(deployRequest(split, aws, trans).errors.explanations).toMatch(
      /one model/
    );
    // A forecaster has no explainer: the (hidden) box asks for nothing.
    const forecaster = { ...explain, forecaster: true };
    expect(deployRequest(forecaster, aws, trans).request?.explanations).toBe(
      false
    );
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
      explanations: false,
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
      forecasting: false,
      explanations: false,
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
