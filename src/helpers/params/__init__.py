"""Stage params: the files analysts edit, read and written.

In: params/*.yaml and county.yaml as typed. Out: the model (every value with its line), the county's
list, a cell's text read as a value, the one safe writer and write_atomic. Imports the bottom only.
"""
