/**
 * "Try the tutorial": what the wizard opens with after a sample dataset was
 * copied under the Jupyter root, and how the copy and its credit read.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type { SampleCopy, SampleDataset } from '../api/types';
import type { Step } from './form';

/** The sample behind "Try the tutorial (bank marketing)". */
export const TUTORIAL_SAMPLE = 'bank-marketing';

/** How the create wizard starts on a copied sample. */
export interface ISampleStart {
  /** The CSV file under the Jupyter root. */
  path: string;
  /** The column the sample's tutorial predicts. */
  target: string;
  /** The sample, for its credit and the columns to leave out. */
  sample: SampleDataset;
}

/** The wizard's start for a copy answered by `POST samples/{name}`. */
export function sampleStart(copy: SampleCopy): ISampleStart {
  return { path: copy.path, target: copy.sample.target, sample: copy.sample };
}

/**
 * The step the wizard opens on. With the file and the target known it opens on
 * "Target and columns", where the data checks (leakage) run; on an S3 backend
 * the file must be uploaded first, so it opens on "Data" with the file ready
 * to upload.
 */
export function initialStep(
  start: { path?: string; target?: string },
  s3: boolean
): Step {
  return start.path && start.target && !s3 ? 'target' : 'data';
}

/** What the notification says after the copy. */
export function copiedMessage(
  copy: SampleCopy,
  trans: TranslationBundle
): string {
  return copy.created
    ? trans.__('Copied the tutorial data to %1.', copy.path)
    : trans.__('Using %1: an identical copy was already there.', copy.path);
}

/** A licence as people write it ("CC-BY-4.0" -> "CC BY 4.0"). */
export function licenseLabel(spdx: string): string {
  return /^CC-/.test(spdx) ? spdx.replace(/-/g, ' ') : spdx;
}
