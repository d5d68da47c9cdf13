import * as React from 'react';
import { act } from 'react';

import { mountPoint } from '../../__tests__/dom';
import { MINIMIZED_METRICS } from '../../__tests__/fixtures';
import { setMinimizedMetrics } from '../../logic/metrics';
import { AutopilotModel } from '../../model';
import { labelProbability } from '../predictions';
import { VariantsSection } from '../Variants';

// Metric direction comes from the server's health answer.
setMinimizedMetrics(MINIMIZED_METRICS);

const dom = mountPoint();

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
    dom.render(
      <VariantsSection
        endpoint={endpoint}
        model={model}
        onUpdated={onUpdated}
      />
    );
    return { updateTraffic, onUpdated };
  }

  function input(label: string): HTMLInputElement {
    return dom.container.querySelector(
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
    return Array.from(dom.container.querySelectorAll('button')).find(b =>
      b.textContent?.includes(text)
    ) as HTMLButtonElement;
  }

  it('renders nothing for a single-model endpoint', () => {
    const model = new AutopilotModel({ client: {} as any });
    dom.render(
      <VariantsSection
        endpoint={{ ...endpoint, variants: [] }}
        model={model}
        onUpdated={jest.fn()}
      />
    );
    expect(dom.container.innerHTML).toBe('');
  });

  it('shows the variants side by side with the best values marked', () => {
    setup();
    const rows = dom.container.querySelectorAll(
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
    const logLoss = dom.container.querySelector('tr[data-metric="LogLoss"]');
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
    expect(dom.container.textContent).toContain('after saving: 75%');
    expect(dom.container.textContent).toContain('Not saved');
    expect(button('Save weights').disabled).toBe(false);
    type(input('Weight of challenger'), '-1');
    expect(button('Save weights').disabled).toBe(true);
    expect(dom.container.textContent).toContain(
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
