/**
 * A forecasting experiment's forecast block as the experiment page's settings list it
 * (in place of the tabular-only settings it does not use). Pure functions.
 */
import type { ExperimentSpec } from '../api/types';
import { Trans, identityTrans } from '../logic/trans';

/** The forecast block's rows (label, value); none for a tabular experiment. */
export function forecastSettings(
  spec: Pick<ExperimentSpec, 'forecast'>,
  trans: Trans = identityTrans
): Array<[string, string]> {
  const f = spec.forecast;
  if (!f) {
    return [];
  }
  return [
    [trans.__('Timestamp'), f.timestamp],
    [
      trans.__('Item ids'),
      f.item_ids?.length ? f.item_ids.join(', ') : trans.__('none (one series)')
    ],
    [trans.__('Frequency'), f.frequency ?? trans.__('detected')],
    [trans.__('Horizon'), String(f.horizon)],
    [trans.__('Quantiles'), (f.quantiles ?? []).join(', ')],
    [
      trans.__('Related columns'),
      f.related?.length ? f.related.join(', ') : trans.__('none')
    ],
    [
      trans.__('Backtest windows'),
      f.backtest_windows
        ? String(f.backtest_windows)
        : trans.__('chosen by the job (see Candidate Definitions)')
    ],
    [trans.__('Holiday calendar'), f.holiday_country ?? trans.__('none')]
  ];
}
