"""Stage cli: the ``nianbao`` command — argument parsing and exit codes only.

Each group of commands is a module that adds its subcommands and runs them: reports.py (check,
render, build, rules), published.py (import, audit), office.py (template, new-year, review,
publish, board — the office's year). This one puts them together and turns errors into one line.

In: the command line. Out: what each command prints, its exit status. On top: may import every
stage, and does so inside each command, so `nianbao --help` loads none of them.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import Sequence

from .. import __version__
from ..errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_UNREADABLE, KitError, storage_reason
from . import office, published, reports


# argparse's own words, as the rest of the command speaks (usage, headings, usage errors)
_ARGPARSE_ZH = (("usage: ", "用法："), ("positional arguments:", "位置参数："), ("options:", "选项："),
                ("show this help message and exit", "显示本帮助并退出"),
                ("show program's version number and exit", "显示版本号并退出"),
                ("the following arguments are required: ", "缺少必需的参数："),
                ("unrecognized arguments: ", "不认识的参数："), ("invalid choice: ", "无效的选择："),
                ("(choose from ", "（可选："), ("invalid int value: ", "应为整数，实际为 "),
                ("expected one argument", "需要一个值"), ("ambiguous option: ", "有歧义的选项："),
                ("not allowed with argument ", "不能与此参数同用："), ("argument ", "参数 "),
                ("could match ", "可能是 "))


def _zh(text: str) -> str:
    for en, zh in _ARGPARSE_ZH:
        text = text.replace(en, zh)
    return text


class _Parser(argparse.ArgumentParser):
    """argparse in Chinese: help, usage and usage errors (exit 2, no traceback)."""

    def format_usage(self) -> str:
        return _zh(super().format_usage())

    def format_help(self) -> str:
        return _zh(super().format_help())

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{_zh(message)}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nianbao", description="政府信息公开工作年度报告工具（annual disclosure report kit）")
    parser.add_argument("--version", action="version", version=f"nianbao {__version__}")
    parser.add_argument("--debug", action="store_true", help="出错时显示完整回溯（show tracebacks）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    reports.add(sub)
    published.add(sub)
    office.add(sub)
    reports.add_rules(sub)
    return parser


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
    except OSError as exc:  # a full disk or a read-only folder: one line, not a traceback
        reason = storage_reason(exc)
        if reason is None or args.debug:
            raise
        print(f"{exc.filename or ''}: 无法写入（cannot write）：{reason}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        print("已中断（interrupted）", file=sys.stderr)
        return EXIT_INTERRUPTED
