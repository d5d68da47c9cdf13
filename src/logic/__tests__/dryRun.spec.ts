import {
  dryRunRequests,
  formatParams,
  isDryRun,
  requestTarget
} from '../dryRun';

const CREATE = {
  service: 'sagemaker',
  operation: 'CreateAutoMLJobV2',
  params: {
    AutoMLJobName: 'tutorial',
    RoleArn: 'arn:aws:iam::123456789012:role/R',
    AutoMLProblemTypeConfig: { TabularJobConfig: { TargetAttributeName: 'y' } }
  }
};
const PUT = {
  service: 's3',
  operation: 'PutObject',
  params: { Bucket: 'b', Key: 'k/spec.json', Body: '<254 bytes>' }
};

describe('dry-run requests', () => {
  it('reads backend_details of a dry run', () => {
    const details = {
      dry_run: 'true',
      dry_run_requests: JSON.stringify([PUT, CREATE])
    };
    expect(isDryRun(details)).toBe(true);
    expect(isDryRun({ region: 'us-east-1' })).toBe(false);
    expect(isDryRun(undefined)).toBe(false);
    expect(dryRunRequests(details)).toEqual([PUT, CREATE]);
  });

  it('copes with missing, malformed and odd entries', () => {
    expect(dryRunRequests({ dry_run: 'true' })).toEqual([]);
    expect(dryRunRequests({ dry_run_requests: '{oops' })).toBeNull();
    expect(dryRunRequests({ dry_run_requests: '{}' })).toBeNull();
    expect(
      dryRunRequests({
        dry_run_requests: JSON.stringify([1, null, { operation: 'X' }])
      })
    ).toEqual([{ service: '', operation: 'X', params: {} }]);
  });

  it('summarises what a request acts on', () => {
    expect(requestTarget(PUT)).toBe('s3://b/k/spec.json');
    expect(requestTarget({ ...PUT, params: { Bucket: 'b' } })).toBe('s3://b');
    expect(requestTarget(CREATE)).toBe(
      'AutoMLJobName=tutorial, RoleArn=arn:aws:iam::123456789012:role/R'
    );
    expect(requestTarget({ ...CREATE, params: {} })).toBe('');
  });

  it('prints parameters as indented JSON', () => {
    expect(formatParams({ A: { B: 1 } })).toBe(
      '{\n  "A": {\n    "B": 1\n  }\n}'
    );
  });
});
