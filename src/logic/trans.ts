/**
 * The translation interface pure functions take: a TranslationBundle, or a stub
 * that only interpolates (tests, callers without a bundle).
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import { interpolate } from './errors';

/** Minimal translation interface (TranslationBundle or a stub in tests). */
export type Trans = Pick<TranslationBundle, '__'>;

/** A plain interpolating "translation" for callers without a bundle. */
export const identityTrans: Trans = {
  __: (text: string, ...args: any[]) => interpolate(text, args)
};
