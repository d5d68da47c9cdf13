/**
 * The monitoring section's state: one endpoint's monitoring status and newest
 * captured requests, polled while the endpoint view is visible.
 */
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';
import type { Widget } from '@lumino/widgets';

import type { CapturedRecords, MonitoringStatus } from '../api/types';
import { adaptivePoll } from '../common/poll';
import { isNotFound, isNotImplemented } from '../logic/errors';
import { monitoringSupported } from '../logic/features';
import { AutopilotModel } from '../model';
import { RECENT_CAPTURES } from './drift';
import { isMonitoringBusy } from './settings';

/**
 * The monitoring status and newest captures of one endpoint, polled with backoff
 * while `widget` is visible (faster while the baseline is being profiled).
 */
export class MonitoringState implements IDisposable {
  constructor(options: MonitoringState.IOptions) {
    this.name = options.name;
    this.model = options.model;
    this.poll = adaptivePoll({
      name: `jupyter-autopilot:monitoring:${this.name}`,
      widget: options.widget,
      timing: () => this.model.timing,
      factory: () => this.load()
    });
    // A prediction from this client may have been captured.
    this.model.endpointsChanged.connect((_, name) => {
      if (name === null || name === this.name) {
        void this.refresh();
      }
    }, this);
  }

  readonly name: string;

  /** Emitted whenever something below changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** null until known; false on a backend without monitoring (nothing is shown). */
  get supported(): boolean | null {
    return this._supported;
  }

  get status(): MonitoringStatus | null {
    return this._status;
  }

  get error(): unknown {
    return this._error;
  }

  get captures(): CapturedRecords | null {
    return this._captures;
  }

  get capturesError(): unknown {
    return this._capturesError;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Ask again now (and poll quickly for a while). */
  async refresh(): Promise<void> {
    if (this._disposed) {
      return;
    }
    this.poll.resetBackoff();
    await this.poll.refresh();
  }

  /** Show a status the server just answered (after Save or a report). */
  setStatus(status: MonitoringStatus): void {
    this._status = status;
    this._error = null;
    this._changed.emit();
    void this.refresh();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this.poll.dispose();
    Signal.clearData(this);
  }

  private async load(): Promise<boolean> {
    if (this._supported === false || this._gone) {
      return false;
    }
    try {
      if (!monitoringSupported(await this.model.health())) {
        this._supported = false;
        this._changed.emit();
        return false;
      }
    } catch {
      // Health failed: the monitoring route answers for itself below.
    }
    let status: MonitoringStatus;
    try {
      status = await this.model.client.getMonitoring(this.name);
    } catch (error) {
      if (isNotImplemented(error)) {
        this._supported = false;
      } else if (isNotFound(error)) {
        // The endpoint is gone; its view says so.
        this._gone = true;
      } else {
        this._error = error;
      }
      this._changed.emit();
      if (this._supported === false || this._gone) {
        return false;
      }
      throw error;
    }
    const previous = this._status;
    this._supported = true;
    this._status = status;
    this._error = null;
    const newCaptures =
      this._captures === null ||
      !previous ||
      previous.captured_records !== status.captured_records ||
      previous.last_capture_at !== status.last_capture_at;
    if (newCaptures && !this._disposed) {
      try {
        this._captures = await this.model.client.listCaptures(
          this.name,
          RECENT_CAPTURES
        );
        this._capturesError = null;
      } catch (error) {
        this._capturesError = error;
      }
    }
    this._changed.emit();
    return isMonitoringBusy(status);
  }

  private model: AutopilotModel;
  private poll: Poll & { resetBackoff: () => void };
  private _changed = new Signal<this, void>(this);
  private _supported: boolean | null = null;
  private _gone = false;
  private _status: MonitoringStatus | null = null;
  private _error: unknown = null;
  private _captures: CapturedRecords | null = null;
  private _capturesError: unknown = null;
  private _disposed = false;
}

export namespace MonitoringState {
  export interface IOptions {
    name: string;
    model: AutopilotModel;
    /** The view: polling stands by while it is hidden. */
    widget: Widget;
  }
}
