import * as React from 'react';

import { trainingRowsTag } from '../logic/trainingRows';
import { useTrans } from './components';

/**
 * A small tag beside a trial's name when it was searched on a sample of the
 * training rows or refit on all of them (large data); nothing otherwise.
 */
export function TrainingRowsTag(props: {
  hyperparameters: { [key: string]: unknown } | null | undefined;
}): JSX.Element | null {
  const trans = useTrans();
  const tag = trainingRowsTag(props.hyperparameters, trans);
  if (!tag) {
    return null;
  }
  return (
    <span
      className={`jp-Autopilot-rowsTag jp-mod-${tag.kind}`}
      data-rows-tag={tag.kind}
      title={tag.title}
      aria-label={tag.title}
    >
      {tag.label}
    </span>
  );
}
