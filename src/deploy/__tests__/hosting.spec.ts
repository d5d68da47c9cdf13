import { formatUsd } from '../../format';
import { hostingText } from '../hosting';

describe('endpoint costs', () => {
  it('formats dollars', () => {
    expect(formatUsd(0.115)).toBe('$0.115');
    expect(formatUsd(2.765)).toBe('$2.77');
    expect(formatUsd(null)).toBe('');
  });

  it('says how an endpoint is hosted and what it costs per hour', () => {
    const base = {
      serverless: null,
      instance_type: 'ml.m5.large',
      instance_count: 2,
      hourly_cost_usd: 0.23
    };
    expect(hostingText(base)).toBe('ml.m5.large × 2 · about $0.230/hour');
    expect(hostingText({ ...base, hourly_cost_usd: null })).toBe(
      'ml.m5.large × 2'
    );
    expect(
      hostingText({
        ...base,
        instance_type: null,
        serverless: { memory_size_mb: 2048, max_concurrency: 5 }
      })
    ).toBe('Serverless · billed per request');
    expect(hostingText({ ...base, instance_type: null })).toBe('');
  });
});
