/**
 * The translation interface pure functions take: a TranslationBundle, or a stub
 * that only interpolates (tests, callers without a bundle).
 */
import type { TranslationBundle } from '@jupyterlab/translation';

/** Minimal translation interface (TranslationBundle or a stub in tests). */
export type Trans = Pick<TranslationBundle, '__'>;

/** A plain interpolating "translation" for callers without a bundle. */
export const identityTrans: Trans = {
  __: (text: string, ...args: any[]) => interpolate(text, args)
};

/** `%1`-style interpolation, the same as TranslationBundle's, for callers without one. */
export function interpolate(text: string, args: unknown[]): string {
  return text.replace(/%(\d+)/g, (whole, index) => {
    const value = args[Number(index) - 1];
    return value === undefined ? whole : String(value);
  });
}
