"""nianbao: reproducible 政府信息公开工作年度报告 for every township of a county.

The Python API for analysts (in a notebook or a script)::

    import helpers as nb

    doc = nb.load_params("params/古郊乡_2021.yaml")      # one township-year (ParamsError if unreadable)
    run = nb.check_paths(["params"])                       # a county folder: every finding
    frames = nb.table_frames(doc)                          # tables 二, 三, 四 as DataFrames
    frames["table3"].loc["一、本年新收政府信息公开申请数量"]
"""

from .checks.folder import CheckRun, CountyFolder, check_paths
from .params.load import load_params
from .report.frames import table_frame, table_frames

__all__ = ["CheckRun", "CountyFolder", "check_paths", "load_params", "table_frame",
           "table_frames", "prepare_report"]
__version__ = "0.1.0"


def prepare_report(params_path, notebook_sha256: str = ""):
    """One township-year loaded, checked, narrated and tabulated: the document every output of
    the report reads (see helpers.report.document.Report)."""
    from .report.document import prepare_report as prepare

    return prepare(params_path, notebook_sha256)
