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
# # 政府信息公开工作年度报告 — 一个乡镇年度（one township-year）
#
# 在下面把 `params_path` 设为 `params/` 中的一个参数文件，然后运行全部单元格（Run All）。
# `nianbao render` 与 `nianbao build` 用 papermill 运行本笔记本并导出 HTML；本说明、代码和参数都不会出现在报告中。
# 参数文件无法读取时，下面各单元格只显示一行原因，不会显示上一次运行的乡镇。
#
# 不用本工具的命令，只用 papermill 和 nbconvert 也得到同一份报告，逐字节相同（生成时间除外）
# （the same page with the tools themselves; `make setup` installs the template）：
#
# ```sh
# papermill annual_report.ipynb 某乡.ipynb -p params_path ../params/某乡_2021.yaml \
#     -p notebook_sha256 $(sha256sum annual_report.ipynb | cut -d' ' -f1)
# jupyter nbconvert --to html --template nianbao 某乡.ipynb
# ```

# %% tags=["parameters"]
params_path = "../params/古郊乡_2021.yaml"  # 要生成报告的乡镇年度参数文件（the township-year to report）
strict = False  # True：报告有错误时停止，不生成（stop when the report has error findings）
notebook_sha256 = ""  # 由生成工具填写：本笔记本的哈希（set by the renderer）

# %%
from IPython.display import display

from helpers.report.workbench import open_report, part, record, sections, stop_if_invalid, style

report = frames = None  # 先清空：读取失败时，下面的单元格不会显示上一次运行的乡镇
report = open_report(params_path, notebook_sha256=notebook_sha256)
frames = report.frames()  # 表二、三、四的 DataFrame，供查看：frames["table3"]
display(style(), part("header", report))

# %%
display(part("findings", report))
stop_if_invalid(report, strict)

# %% [markdown] tags=["nianbao-hide"]
# 第一至第六部分（含表二、三、四与图）放在一个单元格中：批量生成时，每个单元格都要与内核往返一次。

# %%
display(*sections(report))

# %%
display(part("footer", report))
display(record(report), raw=True)  # 供生成工具读取：标题、状态、计数与可打印的报告
