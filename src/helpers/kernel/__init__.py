"""Stage kernel: the report notebook run by papermill, a fresh kernel each (render, kernels,
forkkernel).

In: a params file and the notebook. Out: the executed notebook as forms.outputs.Run, and its forms
written. Imports forms and the stages below it.
"""
