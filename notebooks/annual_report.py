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
from IPython.display import HTML, display

from helpers.fragments import fragment
from helpers.report import prepare_report

report = prepare_report(params_path, notebook_sha256=notebook_sha256)
display(HTML(fragment("header", report)))

# %%
display(HTML(fragment("findings", report)))
report.stop_if_invalid(strict)

# %% [markdown] tags=["nianbao-hide"]
# Sections 一 to 六, with tables 二, 三, 四 and the chart, in one cell: every cell is a round trip
# to the kernel, paid once per report in a batch.

# %%
display(*(HTML(fragment("section", report, section.key)) for section in report.doc.spec.sections))

# %%
display(HTML(fragment("footer", report)))
display(report.record(), raw=True)  # for the build: title, status, counts (not shown on the page)
