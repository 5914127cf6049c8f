"""Stage year: the office's year around the reports — collection workbooks, the request ledger's
workbook, the new year, the county workbook, trends, the county roll-up, the reviews recorded and
the year's board.

In: the county folder's township-years. Out: workbooks, next year's params, trend figures, a roll-up
township-year. May import every stage below it; uses report, checks and params, runs no kernel.
"""
