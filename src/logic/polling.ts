/**
 * When to ask the server again. Pure decisions, used by every panel's Poll.
 *
 * While something runs we poll about every second (a stage change shows within
 * ~2 s); when nothing runs we back off geometrically up to a ceiling; when the
 * panel is hidden the Poll stands by (see `standby` in the widgets).
 */

/** The knobs of the adaptive interval. */
export interface IPollTiming {
  /** Interval while something runs (ms). */
  active: number;
  /** First interval once everything is idle (ms). */
  idle: number;
  /** Growth factor per idle tick. */
  growth: number;
  /** Ceiling of the idle interval (ms). */
  max: number;
}

/** Defaults: 1 s while running; idle from 5 s up to 1 min. */
export const DEFAULT_TIMING: IPollTiming = {
  active: 1000,
  idle: 5000,
  growth: 2,
  max: 60 * 1000
};

/** A timing whose active interval comes from the user's setting (clamped). */
export function timingFromSetting(activeMs: number | undefined): IPollTiming {
  const active = clamp(
    typeof activeMs === 'number' && isFinite(activeMs)
      ? activeMs
      : DEFAULT_TIMING.active,
    250,
    DEFAULT_TIMING.max
  );
  return {
    ...DEFAULT_TIMING,
    active,
    idle: Math.max(DEFAULT_TIMING.idle, active)
  };
}

/**
 * The next interval: `active` while something runs, otherwise
 * `idle * growth^(idleTicks)` capped at `max` (idleTicks counts consecutive
 * idle answers, 0 for the first one).
 */
export function nextInterval(
  busy: boolean,
  idleTicks: number,
  timing: IPollTiming = DEFAULT_TIMING
): number {
  if (busy) {
    return timing.active;
  }
  const grown = timing.idle * Math.pow(timing.growth, Math.max(0, idleTicks));
  return Math.round(clamp(grown, timing.active, timing.max));
}

/**
 * Tracks consecutive idle ticks and gives the Poll frequency to use next.
 *
 * `frequency` is the shape @lumino/polling's `Poll.frequency` expects; `backoff`
 * stays on so that failures (server down) also back off.
 */
export class AdaptiveInterval {
  constructor(readonly timing: IPollTiming = DEFAULT_TIMING) {}

  /** Record one answer and return the next Poll frequency. */
  next(busy: boolean): { interval: number; backoff: boolean; max: number } {
    this.idleTicks = busy ? 0 : this.idleTicks + 1;
    const interval = nextInterval(
      busy,
      busy ? 0 : this.idleTicks - 1,
      this.timing
    );
    return { interval, backoff: true, max: this.timing.max };
  }

  /** Forget the idle streak (after a user action that starts something). */
  reset(): void {
    this.idleTicks = 0;
  }

  private idleTicks = 0;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
