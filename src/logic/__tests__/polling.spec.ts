import { summary } from '../../__tests__/fixtures';
import {
  AdaptiveInterval,
  DEFAULT_TIMING,
  nextInterval,
  timingFromSetting
} from '../polling';
import {
  anyExperimentActive,
  canRerun,
  isBatchRunning,
  isEndpointBusy,
  isExperimentActive
} from '../status';

describe('polling decisions', () => {
  it('polls every second while something runs', () => {
    expect(nextInterval(true, 0)).toBe(1000);
    expect(nextInterval(true, 10)).toBe(1000);
  });

  it('backs off geometrically when idle, up to a ceiling', () => {
    expect(nextInterval(false, 0)).toBe(5000);
    expect(nextInterval(false, 1)).toBe(10000);
    expect(nextInterval(false, 2)).toBe(20000);
    expect(nextInterval(false, 10)).toBe(60000);
  });

  it('keeps a stage change within 2 s while running', () => {
    // Poll interval + one request must stay under the 2 s promise.
    expect(DEFAULT_TIMING.active).toBeLessThanOrEqual(1000);
  });

  it('tracks idle streaks and resets on activity', () => {
    const adaptive = new AdaptiveInterval();
    expect(adaptive.next(false).interval).toBe(5000);
    expect(adaptive.next(false).interval).toBe(10000);
    expect(adaptive.next(true)).toEqual({
      interval: 1000,
      backoff: true,
      max: 60000
    });
    expect(adaptive.next(false).interval).toBe(5000);
    adaptive.next(false);
    adaptive.reset();
    expect(adaptive.next(false).interval).toBe(5000);
  });

  it('reads the interval setting, clamped', () => {
    expect(timingFromSetting(2000).active).toBe(2000);
    expect(timingFromSetting(2000).idle).toBe(5000);
    expect(timingFromSetting(10).active).toBe(250);
    expect(timingFromSetting(undefined).active).toBe(1000);
    expect(timingFromSetting(NaN).active).toBe(1000);
  });
});

describe('statuses', () => {
  it('knows which experiments are moving', () => {
    expect(isExperimentActive('Queued')).toBe(true);
    expect(isExperimentActive('InProgress')).toBe(true);
    expect(isExperimentActive('Stopping')).toBe(true);
    expect(isExperimentActive('Completed')).toBe(false);
    expect(isExperimentActive('Interrupted')).toBe(false);
    expect(
      anyExperimentActive([
        summary({ name: 'a' }),
        summary({ name: 'b', status: 'Queued' })
      ])
    ).toBe(true);
    expect(anyExperimentActive([summary({ name: 'a' })])).toBe(false);
  });

  it('offers re-run for ended, unsuccessful experiments', () => {
    expect(canRerun('Failed')).toBe(true);
    expect(canRerun('Stopped')).toBe(true);
    expect(canRerun('Interrupted')).toBe(true);
    expect(canRerun('Completed')).toBe(false);
    expect(canRerun('InProgress')).toBe(false);
  });

  it('knows busy endpoints and running batches', () => {
    expect(isEndpointBusy('Creating')).toBe(true);
    expect(isEndpointBusy('InService')).toBe(false);
    expect(isBatchRunning({ status: 'InProgress' })).toBe(true);
    expect(isBatchRunning({ status: 'Completed' })).toBe(false);
  });
});
