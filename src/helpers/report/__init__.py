"""Stage report: the one document of a township-year, which every output reads.

In: a params path, loaded and checked through the county folder. Out: document.Report (title,
status, findings, narrative, grids, chart, frames), the notebook's displays, synthetic reports.
Imports checks, params and the bottom.
"""
