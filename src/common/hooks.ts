/**
 * Small React hooks shared by the features.
 */
import * as React from 'react';

import { Health } from '../api/types';
import { AutopilotModel } from '../model';

/** The same object while its JSON does not change (charts re-render only on change). */
export function useStable<T>(value: T): T {
  const ref = React.useRef<{ json: string; value: T } | null>(null);
  const json = JSON.stringify(value);
  if (!ref.current || ref.current.json !== json) {
    ref.current = { json, value };
  }
  return ref.current.value;
}

/** The server's health (cached by the model), its error, and a retry. */
export function useHealth(model: AutopilotModel): {
  health: Health | null;
  error: unknown;
  retry: () => void;
} {
  const [health, setHealth] = React.useState<Health | null>(model.healthValue);
  const [error, setError] = React.useState<unknown>(null);
  React.useEffect(() => {
    model.health().then(setHealth, setError);
  }, [model]);
  const retry = React.useCallback(() => {
    setError(null);
    model.health(true).then(setHealth, setError);
  }, [model]);
  return { health, error, retry };
}

/** Names of the existing experiments (none if listing fails). */
export function useExperimentNames(model: AutopilotModel): string[] {
  const [names, setNames] = React.useState<string[]>([]);
  React.useEffect(() => {
    model.client.listExperiments({ limit: 1000 }).then(
      list => setNames(list.experiments.map(e => e.name)),
      () => undefined
    );
  }, [model]);
  return names;
}

/**
 * A ref holding the latest `value`: for callbacks and values an effect reads
 * when it runs, without re-running whenever their identity changes.
 */
export function useLatest<T>(value: T): React.MutableRefObject<T> {
  const ref = React.useRef(value);
  React.useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

/** Newest-answer-wins for requests started one after another (see `useNewest`). */
export interface INewest {
  /** Start a request; the function returned says whether it is still the newest. */
  start(): () => boolean;
  /** Make every request started so far stale (e.g. an answer came from a cache). */
  drop(): void;
}

/**
 * The one place a component's overlapping requests are sequenced: an answer is
 * used only while its request is the newest, so a slow answer to an older request
 * never replaces a newer one. The object is the same on every render.
 */
export function useNewest(): INewest {
  const seq = React.useRef(0);
  return React.useMemo(
    () => ({
      start: () => {
        const mine = ++seq.current;
        return () => mine === seq.current;
      },
      drop: () => {
        seq.current++;
      }
    }),
    []
  );
}

/**
 * A form that follows the server's values (polls, other clients) until the
 * user edits it; `setEdited(false)` lets it follow again from the next change.
 */
export function useFollowingForm<T>(server: T): {
  /** The server's values (the same object while they do not change). */
  serverForm: T;
  form: T;
  setForm: React.Dispatch<React.SetStateAction<T>>;
  edited: boolean;
  setEdited: React.Dispatch<React.SetStateAction<boolean>>;
} {
  const serverForm = useStable(server);
  const [form, setForm] = React.useState<T>(serverForm);
  const [edited, setEdited] = React.useState(false);
  const editedNow = useLatest(edited);
  React.useEffect(() => {
    if (!editedNow.current) {
      setForm(serverForm);
    }
  }, [serverForm, editedNow]);
  return { serverForm, form, setForm, edited, setEdited };
}
