"""Stage build: ``nianbao build`` — plan and hashes, a task in a worker, the batch and its
manifest, the index and failure pages, the bundle.

In: a params folder. Out: the build folder (every form, executed notebooks, index pages,
summary.csv, the county workbook, the manifest). May import every stage below it (year to bottom).
"""
