import { Poll } from '@lumino/polling';
import type { Widget } from '@lumino/widgets';

import { AdaptiveInterval, IPollTiming } from '../logic/polling';

/**
 * A Poll that ticks every `timing.active` ms while `factory` reports work in
 * progress, backs off while idle (and on errors), and stands by while `widget`
 * is hidden (collapsed sidebar, background tab, hidden browser tab).
 *
 * `factory` resolves to true when something is still running. `timing` is read
 * on every tick, so a changed setting applies without a reload.
 */
export function adaptivePoll(options: {
  name: string;
  widget: Widget;
  timing: () => IPollTiming;
  factory: () => Promise<boolean>;
}): Poll & { resetBackoff: () => void } {
  let timing = options.timing();
  let adaptive = new AdaptiveInterval(timing);
  const poll = new Poll({
    name: options.name,
    frequency: { interval: timing.active, backoff: true, max: timing.max },
    standby: () => !options.widget.isVisible || 'when-hidden',
    factory: async () => {
      if (options.timing() !== timing) {
        timing = options.timing();
        adaptive = new AdaptiveInterval(timing);
      }
      const busy = await options.factory();
      if (!poll.isDisposed) {
        poll.frequency = adaptive.next(busy);
      }
    }
  });
  return Object.assign(poll, {
    resetBackoff: () => {
      adaptive.reset();
      poll.frequency = { ...poll.frequency, interval: timing.active };
    }
  });
}
