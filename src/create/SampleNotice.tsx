/**
 * The tutorial's data as the wizard presents it.
 */
import * as React from 'react';

import type { SampleDataset } from '../api/types';
import { Notice, useTrans } from '../common/components';
import { licenseLabel } from './samples';

/** What the tutorial's data is, what to leave out, and whose it is (its licence). */
export function SampleNotice(props: {
  sample: SampleDataset;
  s3: boolean;
}): JSX.Element {
  const trans = useTrans();
  const { sample } = props;
  return (
    <section
      className="jp-AutopilotCreate-sample"
      aria-label={trans.__('Tutorial data')}
    >
      <Notice kind="info">
        <p>
          <strong>{sample.title}.</strong> {sample.description}
        </p>
        <p>
          {props.s3
            ? trans.__(
                'Upload the file to S3 below; the target %1 is already chosen for the next step.',
                sample.target
              )
            : trans.__('The target %1 is chosen.', sample.target)}
        </p>
        {sample.suggested_exclusions?.map(e => (
          <p key={e.column}>
            {trans.__('Leave out %1: %2', e.column, e.reason)}
          </p>
        ))}
        <p className="jp-Autopilot-muted">
          {trans.__('Data: %1.', sample.source)}{' '}
          <a
            href={sample.source_url}
            target="_blank"
            rel="noopener noreferrer"
            title={trans.__('Please cite: %1', sample.citation)}
          >
            {sample.source_url}
          </a>{' '}
          {trans.__('Licence:')}{' '}
          <a
            href={sample.license_url}
            target="_blank"
            rel="noopener noreferrer"
          >
            {licenseLabel(sample.license)}
          </a>
        </p>
      </Notice>
    </section>
  );
}
