/**
 * The wizard's server check (`validation/experiment`) of the current form: at
 * the target step debounced as target and columns change, at once at the review
 * step. It finds leakage before the run and whether the name is free. Answers
 * are cached by request key; only the newest request's answer is shown.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { DataWarning } from '../api/types';
import { useLatest, useNewest } from '../common/hooks';
import { isNotImplemented } from '../logic/errors';
import { AutopilotModel } from '../model';
import {
  CHECK_DEBOUNCE_MS,
  checkErrors,
  checkFailure,
  ICheckOutcome,
  ICheckRequest,
  isCacheable
} from './checks';
import type { CheckStatus } from './DataChecks';
import type { FormErrors } from './form';

/** Where the check of the current request stands. */
export interface IServerCheck {
  status: CheckStatus;
  /** The answer about the current request (null while none). */
  current: ICheckOutcome | null;
  /** Warnings to show: the current answer's, or the last one's while checking. */
  warnings: DataWarning[];
  /** Field errors of the current answer (a taken name, a rejected field). */
  errors: FormErrors;
  /** Why the current check failed, if it did. */
  failure: unknown;
}

/** The server check of `request` while `active` (`immediate`: no debounce). */
export function useServerCheck(options: {
  model: AutopilotModel;
  request: ICheckRequest | null;
  active: boolean;
  immediate: boolean;
  trans: TranslationBundle;
}): IServerCheck {
  const { model, request, active, trans } = options;
  const [check, setCheck] = React.useState<ICheckOutcome | null>(null);
  const [checking, setChecking] = React.useState(false);
  const [unsupportedSeen, setUnsupportedSeen] = React.useState(false);
  const cache = React.useRef(new Map<string, ICheckOutcome>());
  const newest = useNewest();
  const unsupported =
    unsupportedSeen || model.notImplemented('validate_experiment');
  const requestKey = request?.key ?? '';

  // The effect runs when the request's key changes, not on every new (equal)
  // request object; it reads the newest request and delay from here.
  const latest = useLatest({ request, immediate: options.immediate });

  React.useEffect(() => {
    const req = latest.current.request;
    if (!active || !req || unsupported) {
      return;
    }
    const cached = cache.current.get(req.key);
    if (cached) {
      newest.drop();
      setCheck(cached);
      setChecking(false);
      return;
    }
    const run = async () => {
      const isNewest = newest.start();
      setChecking(true);
      const outcome: ICheckOutcome = {
        key: req.key,
        nameChecked: req.nameChecked,
        name: req.spec.name,
        result: null,
        error: null
      };
      try {
        outcome.result = await model.client.validateExperiment(req.spec);
      } catch (error) {
        if (isNotImplemented(error)) {
          setUnsupportedSeen(true);
        }
        outcome.error = error;
      }
      if (isCacheable(outcome)) {
        cache.current.set(req.key, outcome);
      }
      if (isNewest()) {
        setCheck(outcome);
        setChecking(false);
      }
    };
    setChecking(true);
    let fired = false;
    const timer = window.setTimeout(
      () => {
        fired = true;
        void run();
      },
      latest.current.immediate ? 0 : CHECK_DEBOUNCE_MS
    );
    return () => {
      window.clearTimeout(timer);
      if (!fired) {
        setChecking(false);
      }
    };
  }, [model, active, requestKey, unsupported, latest, newest]);

  const errors = React.useMemo(
    () => checkErrors(check, requestKey, trans),
    [check, requestKey, trans]
  );
  const current = check && check.key === requestKey ? check : null;
  const failure = checkFailure(current, requestKey);
  const status: CheckStatus = unsupported
    ? 'unsupported'
    : !request
      ? 'idle'
      : checking || !current
        ? 'checking'
        : failure !== null
          ? 'failed'
          : 'done';
  return {
    status,
    current,
    warnings: (current ?? (checking ? check : null))?.result?.warnings ?? [],
    errors,
    failure
  };
}
