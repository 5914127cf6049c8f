# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (nianbao)
#     language: python
#     name: nianbao
# ---

# %% [markdown] tags=["nianbao-hide"]
# # 政府信息公开工作年度报告 — one township-year
#
# Set `params_path` below to a file in `params/` and run all cells. `nianbao render` and
# `nianbao build` run this notebook with papermill and turn it into HTML; this cell, the code and
# the parameters never appear in the HTML.

# %% tags=["parameters"]
params_path = "../params/古郊乡_2021.yaml"  # the township-year to report
strict = False  # True: stop with an error when the report has error findings
notebook_sha256 = ""  # set by the renderer: the hash of this notebook's source

# %%
from IPython.display import display

from helpers.report.document import prepare_report
from helpers.report.workbench import part, sections, style

report = prepare_report(params_path, notebook_sha256=notebook_sha256)
frames = report.frames()  # tables 二, 三, 四 as DataFrames, for exploring: frames["table3"]
display(style(), part("header", report))

# %%
display(part("findings", report))
report.stop_if_invalid(strict)

# %% [markdown] tags=["nianbao-hide"]
# Sections 一 to 六, with tables 二, 三, 四 and the chart, in one cell: every cell is a round trip
# to the kernel, paid once per report in a batch.

# %%
display(*sections(report))

# %%
display(part("footer", report))
display(report.record(), raw=True)  # for the build: title, status, counts, the printable report
