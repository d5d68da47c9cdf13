"""Time-series forecasting (issue #19): data checks, metrics, candidates and backtesting.

Plain Python over pandas, statsmodels and LightGBM, with no Jupyter imports, so the
job, the notebooks and the benchmark can all build on it. Series are held in one long
frame with the columns of `series.ITEM`, `series.TIMESTAMP` and `series.TARGET`
(SageMaker's names for a forecasting dataset), plus any related (covariate) columns.
"""
