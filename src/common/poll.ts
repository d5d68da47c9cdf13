import { ReactWidget } from '@jupyterlab/apputils';
import type { Message } from '@lumino/messaging';
import { Poll } from '@lumino/polling';
import { Signal } from '@lumino/signaling';
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

/**
 * A React view kept fresh by an adaptive poll of `load()`: polls fast while something
 * runs, backs off while idle, stands by while hidden, loads again when shown, and stops
 * polling when disposed. Subclasses implement `load()` and `render()`.
 */
export abstract class PolledView extends ReactWidget {
  /**
   * @param name - the poll's name (for debugging).
   * @param timing - the poll timing, read on every tick (a setting).
   */
  constructor(name: string, timing: () => IPollTiming) {
    super();
    this.poll = adaptivePoll({
      name,
      widget: this,
      timing,
      factory: () => this.load()
    });
  }

  /** Load now (and poll fast again). */
  async refresh(): Promise<void> {
    this.poll.resetBackoff();
    await this.poll.refresh();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.poll.dispose();
    Signal.clearData(this);
    super.dispose();
  }

  /** Fetch the view's data; resolves to true while something it shows is running. */
  protected abstract load(): Promise<boolean>;

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this.poll.refresh();
  }

  protected readonly poll: Poll & { resetBackoff: () => void };
}
