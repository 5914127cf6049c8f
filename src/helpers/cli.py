"""The ``nianbao`` command: argument parsing and exit codes only."""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import Sequence

from . import __version__
from .errors import KitError

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nianbao", description="政府信息公开工作年度报告工具（annual disclosure report kit）")
    parser.add_argument("--version", action="version", version=f"nianbao {__version__}")
    parser.add_argument("--debug", action="store_true", help="出错时显示完整回溯（show tracebacks）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="校验参数文件（check params files）",
                           description="校验参数文件的勾稽关系与完整性。退出码：0 无错误，1 有错误，2 有文件无法读取。")
    check.add_argument("paths", nargs="*", default=["params"], metavar="PATH",
                       help="参数文件或文件夹（默认 params/）")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="输出格式（output format）")
    check.set_defaults(func=_check)
    render = sub.add_parser("render", help="生成一个乡镇年度的 HTML 报告（notebook → HTML）",
                            description="用 papermill 运行报告笔记本，再用 nbconvert 导出为独立的 HTML 文件。")
    render.add_argument("params", metavar="PARAMS.yaml", help="一个乡镇年度的参数文件")
    render.add_argument("-o", "--out", metavar="OUT.html",
                        help="输出文件（默认 build/<年度>/<参数文件名>.html）")
    render.add_argument("--strict", action="store_true", help="有错误时不生成报告（exit 1）")
    render.add_argument("--timeout", type=int, default=600, metavar="SECONDS",
                        help="每个单元格的最长运行时间（默认 600 秒）")
    render.set_defaults(func=_render)
    rules = sub.add_parser("rules", help="列出全部校验规则（list the rules）")
    rules.set_defaults(func=_rules)
    return parser


def _render(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .paths import BUILD
    from .render import render

    params = Path(args.params)
    out = Path(args.out) if args.out else BUILD / _year_folder(params) / f"{params.stem}.html"
    result = render(params, out, strict=args.strict, timeout=args.timeout)
    print(f"{result.title} → {result.html}")
    return EXIT_OK


def _year_folder(params) -> str:
    from .load import load_params

    return str(load_params(params).meta.year)


def _rules(args: argparse.Namespace) -> int:
    from .checks import KIT_RULES, RULES
    from .model import SEVERITY_ZH

    for rule in RULES:
        print(f"{rule.id:<18} {SEVERITY_ZH[rule.severity]}  {rule.title}")
    for rule_id, (severity, title) in KIT_RULES.items():
        print(f"{rule_id:<18} {SEVERITY_ZH[severity]}  {title}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .checks.run import check_paths
    from .present import write_json, write_text

    run = check_paths(args.paths)
    (write_json if args.format == "json" else write_text)(run, sys.stdout)
    return run.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except KitError as exc:
        if args.debug:
            traceback.print_exc()
        print(exc, file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `nianbao check | head`: the reader left; not an error of ours
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("已中断（interrupted）", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
