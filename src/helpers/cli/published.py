"""`nianbao import` and `audit`: published reports, filled workbooks and ledgers read in."""

from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK, EXIT_UNREADABLE
from .office import board_step


def add(sub) -> None:
    """import, audit."""
    imp = sub.add_parser("import", help="把已发布的年报导入为参数文件（import published reports）",
                         description="读取已发布的年报（.txt、网页 .html、.pdf、.docx），写出参数文件。"
                                     "原文空白的格子保持空白；截断或无法确定的内容记入 source，不猜测。"
                                     "退出码：0 全部导入，2 有文件无法导入（其余照常导入）。")
    _import_arguments(imp)
    imp.add_argument("--out", default="params", metavar="DIR", help="参数文件写入的文件夹（默认 params/）")
    imp.add_argument("--force", action="store_true", help="覆盖已存在的参数文件")
    imp.add_argument("--dry-run", action="store_true", help="只读取并显示摘要，不写文件")
    imp.add_argument("--format", choices=("text", "json"), default="text", help="摘要格式（summary format）")
    imp.set_defaults(func=_import)
    audit = sub.add_parser("audit", help="导入并校验已发布的年报，生成一页 HTML 审查结果",
                           description="第三方审查：导入每份已发布的年报，按全部规则校验（含跨年度），"
                                       "把全部问题写成一个 HTML 页面。退出码：0 无错误，1 有错误，2 有文件无法导入。")
    _import_arguments(audit)
    audit.add_argument("-o", "--out", default="audit.html", metavar="OUT.html", help="输出页面（默认 audit.html）")
    audit.add_argument("--params", metavar="DIR", help="同时把导入的参数文件写入此文件夹")
    audit.add_argument("--format", choices=("text", "json"), default="text", help="终端输出格式")
    audit.set_defaults(func=_audit)


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="已发布的年报文件（.txt .html .pdf .docx），或填好的数据采集表（.xlsx）")
    parser.add_argument("--unit", metavar="NAME", help="单位全称（报告中读不出时指定）")
    parser.add_argument("--year", type=int, metavar="Y", help="报告年度（报告中读不出时指定）")
    parser.add_argument("--county", metavar="NAME", help="所属县（区）")


def _import(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from ..importer.run import import_files
    from ..importer.summary import text_lines

    results = import_files([Path(f) for f in args.files], None if args.dry_run else Path(args.out),
                           unit=args.unit, year=args.year, county=args.county, force=args.force)
    summaries = [r.summary for r in results]
    if not args.dry_run:  # the board: 已收回
        from ..year.board import mark_returned

        board_step(lambda: mark_returned(Path(args.out), [(s.year, s.township) for s in summaries
                                                      if s.ok and s.params and s.township]))
    if args.format == "json":
        json.dump([s.as_json() for s in summaries], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for summary in summaries:
            print("\n".join(text_lines(summary)))
        done = sum(s.ok for s in summaries)
        print(f"导入 {done}/{len(summaries)} 个文件。")
    return EXIT_OK if all(s.ok for s in summaries) else EXIT_UNREADABLE


def _audit(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from ..importer.audit import audit

    result = audit([Path(f) for f in args.files], Path(args.out),
                   Path(args.params) if args.params else None,
                   unit=args.unit, year=args.year, county=args.county)
    if args.format == "json":
        json.dump(result.as_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(result.text())
    return result.exit_code
