import { MINIMIZED_METRICS } from '../../__tests__/fixtures';
import type { Candidate, ProductionVariant } from '../../api/types';
import {
  deployArtifactSupported,
  exportSupported,
  variantsSupported
} from '../../logic/features';
import { setMinimizedMetrics } from '../../logic/metrics';
import {
  addVariantPick,
  artifactEndpointName,
  artifactProblem,
  bestVariantMetrics,
  defaultVariantName,
  defaultVariantPicks,
  formatWeight,
  formShares,
  isPromoted,
  isWeightsChanged,
  MAX_VARIANTS,
  parseWeight,
  pickShares,
  promoteWeights,
  rankedCandidates,
  removeVariantPick,
  trafficShares,
  validateWeights,
  variantMetricNames,
  variantSpecs,
  weightsForm
} from '../variants';

// Metric direction comes from the server's health answer.
setMinimizedMetrics(MINIMIZED_METRICS);

function variant(
  name: string,
  patch: Partial<ProductionVariant> = {}
): ProductionVariant {
  return {
    name,
    candidate: `${name}-candidate`,
    algorithm: 'lightgbm',
    objective_value: null,
    metrics: {},
    weight: 1,
    traffic_share: 0.5,
    invocation_count: 0,
    latency: { p50_ms: null, p95_ms: null, p99_ms: null, samples: 0 },
    ...patch
  };
}

function candidate(
  name: string,
  rank: number | null,
  patch: Partial<Candidate> = {}
): Candidate {
  return {
    name,
    algorithm: 'xgboost',
    definition: null,
    deployable: true,
    duration_seconds: 1,
    ended_at: null,
    failure_reason: null,
    is_best: rank === 1,
    is_ensemble: false,
    objective_metric: 'F1',
    objective_value: rank === null ? null : 1 - rank / 10,
    preprocessing: null,
    rank,
    started_at: null,
    status: 'Completed',
    training_job_name: null,
    ...patch
  };
}

describe('backend features', () => {
  const health = (missing: string[]) => ({
    features: {
      s3: false,
      upload: true,
      serverless: false,
      batch_predictions: true,
      forecasting: false,
      explanations: true,
      not_implemented: missing
    }
  });

  it('follows not_implemented', () => {
    expect(variantsSupported(health([]))).toBe(true);
    expect(variantsSupported(health(['update_traffic']))).toBe(false);
    expect(exportSupported(health(['export_candidate']))).toBe(false);
    expect(exportSupported(health(['deploy_artifact']))).toBe(true);
    expect(deployArtifactSupported(health(['deploy_artifact']))).toBe(false);
    expect(deployArtifactSupported(null)).toBe(true);
  });
});

describe('traffic shares and weights', () => {
  it('divides each weight by the sum', () => {
    expect(trafficShares([1, 1])).toEqual([0.5, 0.5]);
    expect(trafficShares([3, 1, 0])).toEqual([0.75, 0.25, 0]);
    expect(trafficShares([0, 0])).toEqual([0, 0]);
    expect(trafficShares([-1, NaN, 2])).toEqual([0, 0, 1]);
  });

  it('parses weights from 0 to 1000', () => {
    expect(parseWeight('50')).toEqual({ value: 50, error: null });
    expect(parseWeight(' 0.25 ')).toEqual({ value: 0.25, error: null });
    expect(parseWeight('0').value).toBe(0);
    for (const bad of ['', '-1', '1001', 'abc', 'Infinity']) {
      expect(parseWeight(bad).error).toBe('Enter a weight from 0 to 1000.');
    }
  });

  it('shows weights without float noise', () => {
    expect(formatWeight(1)).toBe('1');
    expect(formatWeight(0.1 + 0.2)).toBe('0.3');
    expect(formatWeight(NaN)).toBe('');
    expect(weightsForm([variant('a'), variant('b', { weight: 0 })])).toEqual({
      a: '1',
      b: '0'
    });
  });

  it('validates the weights form', () => {
    expect(validateWeights({ a: '3', b: '1' })).toEqual({
      weights: { a: 3, b: 1 },
      errors: {},
      problem: null
    });
    const zero = validateWeights({ a: '0', b: '0' });
    expect(zero.weights).toBeNull();
    expect(zero.problem).toBe(
      'At least one variant needs a weight above 0 to get traffic.'
    );
    const bad = validateWeights({ a: '-2', b: '1' });
    expect(bad.weights).toBeNull();
    expect(bad.errors).toEqual({ a: 'Enter a weight from 0 to 1000.' });
    expect(bad.problem).toBe('a: Enter a weight from 0 to 1000.');
  });

  it('knows when the form differs from the endpoint', () => {
    const variants = [variant('a'), variant('b')];
    expect(isWeightsChanged({ a: '1', b: '1' }, variants)).toBe(false);
    expect(isWeightsChanged({ a: '1.0', b: '1' }, variants)).toBe(false);
    expect(isWeightsChanged({ a: '2', b: '1' }, variants)).toBe(true);
    expect(isWeightsChanged({ a: '', b: '1' }, variants)).toBe(true);
    expect(isWeightsChanged({ a: 'x', b: '1' }, variants)).toBe(true);
  });

  it('previews the shares of the form', () => {
    const variants = [variant('a'), variant('b')];
    expect(formShares({ a: '3', b: '1' }, variants)).toEqual({
      a: 0.75,
      b: 0.25
    });
    expect(formShares({ a: '0', b: '0' }, variants)).toEqual({
      a: null,
      b: null
    });
    expect(formShares({ a: 'x', b: '1' }, variants)).toEqual({
      a: null,
      b: null
    });
  });
});

describe('promotion', () => {
  const variants = [
    variant('champion', { weight: 1 }),
    variant('challenger', { weight: 1 })
  ];

  it('sends all traffic to one variant', () => {
    expect(promoteWeights(variants, 'challenger')).toEqual({
      champion: 0,
      challenger: 1
    });
  });

  it('knows which variant already has all the traffic', () => {
    expect(isPromoted(variants, 'challenger')).toBe(false);
    const promoted = [
      variant('champion', { weight: 0 }),
      variant('challenger', { weight: 2 })
    ];
    expect(isPromoted(promoted, 'challenger')).toBe(true);
    expect(isPromoted(promoted, 'champion')).toBe(false);
    expect(isPromoted(promoted, 'ghost')).toBe(false);
  });
});

describe('metrics side by side', () => {
  const variants = [
    variant('a', {
      objective_value: 0.9,
      metrics: { F1: 0.9, LogLoss: 0.3, AUC: 0.95 }
    }),
    variant('b', {
      objective_value: 0.8,
      metrics: { F1: 0.8, LogLoss: 0.2, AUC: 0.95, Recall: 0.7 }
    })
  ];

  it('lists metric names with the objective first', () => {
    expect(variantMetricNames(variants, 'F1')).toEqual([
      'F1',
      'AUC',
      'LogLoss',
      'Recall'
    ]);
    expect(variantMetricNames(variants)).toEqual([
      'AUC',
      'F1',
      'LogLoss',
      'Recall'
    ]);
  });

  it('marks every metric and the objective', () => {
    const best = bestVariantMetrics(variants, 'F1');
    expect(best.objective).toEqual([true, false]);
    expect(best.metrics).toEqual({
      F1: [true, false],
      AUC: [false, false],
      LogLoss: [false, true],
      Recall: [false, false]
    });
  });
});

describe('the deploy dialog’s variants', () => {
  const candidates = [
    candidate('linear-4', 4),
    candidate('xgb-2', 2),
    candidate('running-9', null, { status: 'InProgress' }),
    candidate('ensemble-1', 1, { is_ensemble: true }),
    candidate('lgbm-3', 3)
  ];

  it('ranks completed candidates, best first', () => {
    expect(rankedCandidates(candidates).map(c => c.name)).toEqual([
      'ensemble-1',
      'xgb-2',
      'lgbm-3',
      'linear-4'
    ]);
  });

  it('offers only candidates that kept a model', () => {
    const some = [
      candidate('ensemble-1', 1),
      candidate('xgb-2', 2, { deployable: false }),
      candidate('lgbm-3', 3)
    ];
    expect(rankedCandidates(some).map(c => c.name)).toEqual([
      'ensemble-1',
      'lgbm-3'
    ]);
    expect(defaultVariantPicks(some).map(p => p.candidate)).toEqual([
      'ensemble-1',
      'lgbm-3'
    ]);
  });

  it('starts with the best and the next deployable candidate, 50/50', () => {
    expect(defaultVariantPicks(candidates)).toEqual([
      { candidate: 'ensemble-1', weight: '50', name: 'variant-1' },
      { candidate: 'xgb-2', weight: '50', name: 'variant-2' }
    ]);
    // From "Deploy this candidate": that one first.
    expect(defaultVariantPicks(candidates, 'lgbm-3')).toEqual([
      { candidate: 'lgbm-3', weight: '50', name: 'variant-1' },
      { candidate: 'ensemble-1', weight: '50', name: 'variant-2' }
    ]);
    expect(defaultVariantPicks([candidates[0]])).toHaveLength(1);
    expect(defaultVariantPicks([])).toEqual([]);
  });

  it('adds the next unused candidate and removes rows', () => {
    let picks = defaultVariantPicks(candidates);
    picks = addVariantPick(picks, candidates);
    expect(picks[2]).toEqual({
      candidate: 'lgbm-3',
      weight: '50',
      name: 'variant-3'
    });
    picks = removeVariantPick(picks, 0);
    expect(picks.map(p => p.name)).toEqual(['variant-2', 'variant-3']);
    // The next default name is free.
    picks = addVariantPick(picks, candidates);
    expect(picks[2]).toEqual({
      candidate: 'ensemble-1',
      weight: '50',
      name: 'variant-4'
    });
    while (picks.length < MAX_VARIANTS) {
      picks = addVariantPick(picks, candidates);
    }
    expect(addVariantPick(picks, candidates)).toHaveLength(MAX_VARIANTS);
    expect(defaultVariantName(0)).toBe('variant-1');
  });

  it('builds the request’s variants', () => {
    const picks = defaultVariantPicks(candidates);
    expect(variantSpecs(picks)).toEqual({
      variants: [
        { candidate: 'ensemble-1', weight: 50, name: 'variant-1' },
        { candidate: 'xgb-2', weight: 50, name: 'variant-2' }
      ],
      errors: {}
    });
    // A blank name takes the default.
    expect(
      variantSpecs([picks[0], { ...picks[1], name: ' ' }]).variants?.[1].name
    ).toBe('variant-2');
  });

  it('says what to fix', () => {
    const picks = defaultVariantPicks(candidates);
    expect(variantSpecs([picks[0]]).errors).toEqual({
      variants: 'Split the traffic between 2 and 5 candidates.'
    });
    expect(
      variantSpecs([
        { ...picks[0], weight: '0' },
        { ...picks[1], weight: '0' }
      ]).errors
    ).toEqual({
      variants: 'At least one variant needs a weight above 0 to get traffic.'
    });
    expect(
      variantSpecs([picks[0], { ...picks[1], candidate: 'ensemble-1' }]).errors
    ).toEqual({
      'variants.1.candidate':
        'ensemble-1 is already variant 1; pick each candidate once.'
    });
    expect(
      variantSpecs([picks[0], { ...picks[1], name: 'variant-1' }]).errors
    ).toEqual({
      'variants.1.name':
        'Another variant is called variant-1; names must be unique.'
    });
    const bad = variantSpecs([
      { ...picks[0], name: '-bad', weight: '-1' },
      { ...picks[1], name: 'x'.repeat(64), candidate: '' }
    ]);
    expect(bad.variants).toBeNull();
    expect(Object.keys(bad.errors).sort()).toEqual([
      'variants.0.name',
      'variants.0.weight',
      'variants.1.candidate',
      'variants.1.name'
    ]);
    expect(bad.errors['variants.1.name']).toBe(
      '64 characters; the limit is 63.'
    );
  });

  it('previews each row’s share', () => {
    const picks = defaultVariantPicks(candidates);
    expect(pickShares(picks)).toEqual([0.5, 0.5]);
    expect(pickShares([{ ...picks[0], weight: '3' }, picks[1]])).toEqual([
      3 / 53,
      50 / 53
    ]);
    expect(pickShares([{ ...picks[0], weight: '' }, picks[1]])).toEqual([
      null,
      null
    ]);
  });
});

describe('deploying an exported model', () => {
  it('checks the artifact', () => {
    expect(
      artifactProblem('autopilot/exports/bank/xgb-2/model.tar.gz')
    ).toBeNull();
    expect(artifactProblem('s3://my-bucket/models/model.tar.gz')).toBeNull();
    expect(artifactProblem('')).toMatch(/model\.tar\.gz under the Jupyter/);
    expect(artifactProblem('s3://')).toMatch(/s3:\/\/bucket\/path/);
    expect(artifactProblem('s3://bucket')).toMatch(/s3:\/\/bucket\/path/);
    expect(artifactProblem('https://example.com/model.tar.gz')).toMatch(
      /Only paths under the Jupyter root/
    );
    expect(artifactProblem('/etc/model.tar.gz')).toMatch(/relative/);
    expect(artifactProblem('../model.tar.gz')).toMatch(/relative/);
    expect(artifactProblem('exports/model.zip')).toMatch(/tar\.gz archives/);
    expect(artifactProblem('my model.tar.gz')).toMatch(/spaces/);
  });

  it('suggests an endpoint name from the export path', () => {
    expect(
      artifactEndpointName('autopilot/exports/bank/xgb_2/model.tar.gz')
    ).toBe('xgb-2-endpoint');
    expect(artifactEndpointName('s3://bucket/champion.tar.gz')).toBe(
      'champion-endpoint'
    );
    expect(artifactEndpointName('')).toBe('exported-model-endpoint');
    expect(
      artifactEndpointName('model.tar.gz', ['exported-model-endpoint'])
    ).toBe('exported-model-endpoint-2');
  });
});
