"""nianbao: reproducible 政府信息公开工作年度报告 for every township of a county."""

from .checks.run import check_paths
from .load import load_params

__all__ = ["check_paths", "load_params"]
__version__ = "0.1.0"
