/**
 * Small React hooks shared by the features.
 */
import * as React from 'react';

/** The same object while its JSON does not change (charts re-render only on change). */
export function useStable<T>(value: T): T {
  const ref = React.useRef<{ json: string; value: T } | null>(null);
  const json = JSON.stringify(value);
  if (!ref.current || ref.current.json !== json) {
    ref.current = { json, value };
  }
  return ref.current.value;
}
