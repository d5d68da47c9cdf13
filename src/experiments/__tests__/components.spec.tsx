import * as React from 'react';
import { act } from 'react';

import { mountPoint } from '../../__tests__/dom';
import { stage, summary } from '../../__tests__/fixtures';
import { ExperimentRow, HealthBanner } from '../ExperimentsPanel';
import { StageTracker } from '../StageTracker';

const dom = mountPoint();

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
    dom.render(<StageTracker stages={stages} live={true} />);
    const items = dom.container.querySelectorAll('li');
    expect(items).toHaveLength(4);
    expect(items[0].getAttribute('data-status')).toBe('done');
    expect(items[0].textContent).toContain('3 s');
    expect(items[1].classList.contains('jp-mod-active')).toBe(true);
    expect(items[1].getAttribute('aria-current')).toBe('step');
    expect(items[2].textContent).toContain('Pending');
  });

  it('stops the animation when the experiment is no longer live', () => {
    dom.render(<StageTracker stages={stages} live={false} />);
    expect(dom.container.querySelectorAll('.jp-mod-active')).toHaveLength(0);
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
    dom.render(<StageTracker stages={tuning} live={true} />);
    const bars = dom.container.querySelectorAll('[role="progressbar"]');
    expect(bars).toHaveLength(1);
    expect(bars[0].getAttribute('aria-valuenow')).toBe('38');
    expect(bars[0].getAttribute('aria-label')).toBe('Model Tuning progress');
    const item = dom.container.querySelector('[data-stage="model_tuning"]');
    expect(item?.classList.contains('jp-mod-determinate')).toBe(true);
    expect(item?.textContent).toContain('In progress 38%');
    expect(
      (item?.querySelector('.jp-Autopilot-stageBarFill') as HTMLElement).style
        .width
    ).toBe('37.5%');
    // Done stages keep their progress (1.0) but show no bar of their own.
    expect(
      dom.container
        .querySelector('[data-stage="pre_processing"]')
        ?.classList.contains('jp-mod-determinate')
    ).toBe(false);
  });

  it('keeps the indeterminate animation without progress', () => {
    dom.render(<StageTracker stages={stages} live={true} />);
    expect(dom.container.querySelectorAll('[role="progressbar"]')).toHaveLength(
      0
    );
    expect(dom.container.querySelectorAll('.jp-mod-determinate')).toHaveLength(
      0
    );
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
    dom.render(<HealthBanner health={health} />);
    const banner = dom.container.querySelector(
      '[aria-label="Backend notices"]'
    );
    expect(banner?.textContent).toContain('about USD 0.12 per hour');
    expect(banner?.classList.contains('jp-mod-warning')).toBe(true);
    act(() =>
      (
        dom.container.querySelector(
          '[aria-label="Dismiss the notices"]'
        ) as HTMLButtonElement
      ).click()
    );
    expect(
      dom.container.querySelector('[aria-label="Backend notices"]')
    ).toBeNull();
    // New notices show again.
    dom.render(
      <HealthBanner
        health={{ ...health, warnings: ['No credentials.'], status: 'error' }}
      />
    );
    expect(
      dom.container.querySelector('[aria-label="Backend notices"]')?.textContent
    ).toContain('The sagemaker backend reports a problem');
  });

  it('titles a dry run, and shows nothing without warnings', () => {
    dom.render(
      <HealthBanner
        health={{ ...health, dry_run: true, warnings: ['Dry run: …'] }}
      />
    );
    expect(dom.container.textContent).toContain(
      'Dry run: AWS requests are shown, not sent'
    );
    dom.render(<HealthBanner health={{ ...health, warnings: [] }} />);
    expect(dom.container.innerHTML).toBe('');
  });
});

describe('ExperimentRow', () => {
  it('labels pilot runs', () => {
    dom.render(
      <ExperimentRow
        experiment={summary({ name: 'pilot-run', mode: 'pilot' })}
        onOpen={jest.fn()}
      />
    );
    const button = dom.container.querySelector('button') as HTMLButtonElement;
    expect(button.getAttribute('aria-label')).toBe(
      'Open experiment pilot-run (Completed, pilot run)'
    );
    expect(dom.container.querySelector('.jp-mod-pilot')?.textContent).toBe(
      'Pilot'
    );
    expect(button.textContent).toContain('Definitions ready');
    dom.render(
      <ExperimentRow
        experiment={summary({
          name: 'full-run',
          mode: 'complete',
          candidates_completed: 3
        })}
        onOpen={jest.fn()}
      />
    );
    expect(dom.container.querySelector('.jp-mod-pilot')).toBeNull();
    expect(dom.container.textContent).toContain('3 candidates');
  });
});
