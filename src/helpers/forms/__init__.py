"""Stage forms: the files a report is written as — HTML, Word, PDF — registered in outputs.py.

In: a run (the executed notebook and the record it displayed of its document). Out: one file a
form, written atomically. Imports report, checks, params and the bottom; runs no kernel.
"""
