"""The ``nianbao`` command: argument parsing and exit codes only."""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import Sequence

from . import __version__
from .errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_UNREADABLE, KitError, storage_reason


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
    from .forms.outputs import OUTPUTS

    forms = "、".join(OUTPUTS)
    parser = _Parser(
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
    render = sub.add_parser("render", help="生成一个乡镇年度的报告（notebook → HTML、Word、PDF）",
                            description="用 papermill 运行报告笔记本，再用 nbconvert 导出为独立的 HTML 文件，"
                                        f"并可同时生成其他格式（{forms}）。")
    render.add_argument("params", metavar="PARAMS.yaml", help="一个乡镇年度的参数文件")
    render.add_argument("-o", "--out", metavar="OUT.html",
                        help="HTML 输出文件（默认 ./build/<年度>/<参数文件名>.html，其他格式在其旁边）")
    render.add_argument("--to", default="html", metavar="KINDS",
                        help=f"输出格式，逗号分隔：{forms}（默认 html）")
    render.add_argument("--strict", action="store_true", help="有错误时不生成报告（exit 1）")
    render.add_argument("--timeout", type=int, default=600, metavar="SECONDS",
                        help="每个单元格的最长运行时间（默认 600 秒）")
    render.set_defaults(func=_render)
    build = sub.add_parser("build", help="生成全部乡镇的报告与索引（batch build）",
                           description="为每个乡镇年度运行报告笔记本（每份报告一个新内核），导出 HTML，"
                                       "并生成各年度索引与县级汇总。未变化的报告跳过。任一报告失败时退出码为 1。")
    build.add_argument("params_dir", nargs="?", default="params", metavar="PARAMS_DIR",
                       help="参数文件夹（默认 params/）")
    build.add_argument("--year", type=int, action="append", metavar="Y", help="只生成该年度（可重复）")
    build.add_argument("--only", action="append", metavar="NAME", help="只生成该乡镇（可重复）")
    build.add_argument("--jobs", type=int, metavar="N", help="并行进程数（默认 CPU 核数）")
    build.add_argument("--out", default=None, metavar="DIR", help="输出文件夹（默认 ./build/）")
    build.add_argument("--force", action="store_true", help="全部重新生成")
    build.add_argument("--timeout", type=int, default=600, metavar="SECONDS",
                       help="单元格最长运行时间（默认 600 秒）")
    build.add_argument("--strict", action="store_true", help="有错误的报告视为失败")
    build.add_argument("--scheduler", metavar="ADDRESS|local",
                       help="在 Dask 上运行：调度器地址，或 local（本机 LocalCluster）")
    build.add_argument("--quiet", action="store_true", help="不显示进度与汇总（供脚本使用）")
    build.add_argument("--to", default="html", metavar="KINDS",
                       help=f"输出格式，逗号分隔：{forms}（默认 html）")
    build.add_argument("--bundle", action="store_true",
                       help="每个年度打包为一个 zip（可发布的报告、报送清单、汇总表与 SHA-256 清单），供报送；"
                            "校验未通过的报告不收入")
    build.add_argument("--include-failed", action="store_true",
                       help="报送包也收入校验未通过的报告（文件名注明“校验未通过”）")
    build.set_defaults(func=_build)
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
    tpl = sub.add_parser("template", help="生成发给各乡镇的数据采集表（Excel/WPS）",
                         description="为 county.yaml 所列每个乡镇生成该年度的数据采集表（.xlsx）：表二、三、四按官方表样排列，"
                                     "标签锁定，填写格由 Excel 校验，总计为公式，已有上年报告的填好上年结转，另有各部分文字。")
    tpl.add_argument("--year", type=int, required=True, metavar="Y", help="报告年度")
    tpl.add_argument("params_dir", nargs="?", default="params", metavar="PARAMS_DIR", help="参数文件夹（默认 params/）")
    tpl.add_argument("--out", default=None, metavar="DIR", help="输出文件夹（默认 ./build/采集表/<年度>/）")
    tpl.add_argument("--book", action="store_true", help="全县一个工作簿，每个乡镇一个工作表")
    tpl.add_argument("--force", action="store_true", help="覆盖已存在的采集表（可能已有填写）")
    tpl.add_argument("--ledger", action="store_true",
                     help="改为生成依申请公开台账（每乡镇一个工作簿，上年未办结的申请与未审结的案件已列入；"
                          "默认输出到 ./build/台账/<年度>/）")
    tpl.set_defaults(func=_template)
    new = sub.add_parser("new-year", help="由上一年度的参数文件生成新年度的参数文件",
                         description="为 county.yaml 所列每个乡镇，由上一年度参数文件生成新年度的参数文件：带入上年结转与"
                                     "现行有效文件数等存量，其余数字留空待填，可自动生成的章节设为 auto；不覆盖已有文件，并在 county.yaml 中加上新年度。")
    new.add_argument("year", type=int, metavar="Y", help="新年度")
    new.add_argument("params_dir", nargs="?", default="params", metavar="PARAMS_DIR", help="参数文件夹（默认 params/）")
    new.add_argument("--dry-run", action="store_true", help="只列出将要写出的文件")
    new.add_argument("--ledger-out", metavar="DIR",
                     help="上年有台账的乡镇，新年度台账（列入上年未办结的申请与案件）的输出文件夹（默认 ./build/台账/<年度>/）")
    new.set_defaults(func=_new_year)
    review = sub.add_parser(
        "review", help="审核校验发现的问题：列出待审核的问题，或记录审核结论",
        description="不带 --finding 时列出各参数文件中尚无审核记录的问题及其编号；带 --finding 时把审核结论"
                    "（已核实：问题属实，将改正；已说明：合理的例外，理由印入报告；误报：工具判断有误）写入该乡镇年度"
                    "参数文件的 reviews: 部分，文件其余内容不变。勾稽关系与单元格取值类问题只能“已核实”。")
    review.add_argument("paths", nargs="*", default=["params"], metavar="PATH",
                        help="参数文件或文件夹（默认 params/）")
    review.add_argument("--finding", action="append", metavar="ID",
                        help="问题编号（nianbao check 或本命令列出的“编号”），可重复")
    review.add_argument("--verdict", metavar="结论", help="已核实 / 已说明 / 误报")
    review.add_argument("--reason", default="", metavar="理由", help="理由（已说明、误报必填；已说明的理由印入报告）")
    review.add_argument("--by", metavar="审核人", help="审核人（默认取环境变量 NIANBAO_REVIEWER）")
    review.add_argument("--date", metavar="YYYY-MM-DD", help="审核日期（默认今天）")
    review.add_argument("--prune", action="store_true", help="删除所答问题已不再出现的审核记录")
    review.add_argument("--false-positives", action="store_true",
                        help="以 CSV 列出全部“误报”审核记录（供改进校验规则）")
    review.add_argument("-o", "--out", metavar="FILE.csv", help="--false-positives 的输出文件（默认输出到终端）")
    review.set_defaults(func=_review)
    pub = sub.add_parser("publish", help="记录某乡镇年度报告已发布（地址、日期），更新年度进度表",
                         description="在参数文件夹的年度进度表（board.yaml，county.yaml 旁）中记下该乡镇年度的报告"
                                     "已于何日发布在何处；总索引的进度表随之显示。")
    pub.add_argument("unit", metavar="UNIT", help="乡镇名（如 崇文镇）或单位全称")
    pub.add_argument("year", type=int, metavar="YEAR", help="报告年度")
    pub.add_argument("params_dir", nargs="?", default="params", metavar="PARAMS_DIR", help="参数文件夹（默认 params/）")
    pub.add_argument("--url", required=True, metavar="URL", help="发布地址（http:// 或 https://）")
    pub.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="发布日期")
    pub.set_defaults(func=_publish)
    board = sub.add_parser("board", help="显示年度进度表（各乡镇年度走到哪一步）")
    board.add_argument("params_dir", nargs="?", default="params", metavar="PARAMS_DIR", help="参数文件夹（默认 params/）")
    board.add_argument("--year", type=int, metavar="Y", help="只显示该年度")
    board.set_defaults(func=_show_board)
    rules = sub.add_parser("rules", help="列出全部校验规则（list the rules）")
    rules.set_defaults(func=_rules)
    return parser


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="已发布的年报文件（.txt .html .pdf .docx），或填好的数据采集表（.xlsx）")
    parser.add_argument("--unit", metavar="NAME", help="单位全称（报告中读不出时指定）")
    parser.add_argument("--year", type=int, metavar="Y", help="报告年度（报告中读不出时指定）")
    parser.add_argument("--county", metavar="NAME", help="所属县（区）")


def _import(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from .importer.run import import_files
    from .importer.summary import text_lines

    results = import_files([Path(f) for f in args.files], None if args.dry_run else Path(args.out),
                           unit=args.unit, year=args.year, county=args.county, force=args.force)
    summaries = [r.summary for r in results]
    if not args.dry_run:  # the board: 已收回
        from .year.board import mark_returned

        _board(lambda: mark_returned(Path(args.out), [(s.year, s.township) for s in summaries
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

    from .importer.audit import audit

    result = audit([Path(f) for f in args.files], Path(args.out),
                   Path(args.params) if args.params else None,
                   unit=args.unit, year=args.year, county=args.county)
    if args.format == "json":
        json.dump(result.as_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(result.text())
    return result.exit_code


def _render(args: argparse.Namespace) -> int:
    """One report, named and placed as `nianbao build` would (./build/<year>/<name>.<kind>)."""
    from pathlib import Path

    from .params.load import load_params
    from .forms.outputs import OUTPUTS
    from .paths import BUILD, safe_name
    from .kernel.render import render

    kinds = _kinds(args.to)
    params = Path(args.params)
    year = load_params(params).meta.year  # a bad file is reported before anything starts
    html = Path(args.out) if args.out else BUILD / str(year) / f"{safe_name(params.stem)}.html"
    targets = {kind: html.with_suffix(OUTPUTS[kind].suffix) for kind in kinds}
    result = render(params, targets, strict=args.strict, timeout=args.timeout)
    for path in result.files.values():
        print(f"{result.title} → {path}")
    return EXIT_OK


def _kinds(text: str) -> tuple[str, ...]:
    from .forms.outputs import kinds

    try:
        return kinds(text)
    except ValueError as exc:
        raise SystemExit(f"--to: {exc}") from None


def _build(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .build.batch import Progress, build
    from .checks.present import BuildProgress, write_build_summary

    if args.jobs is not None and args.jobs < 1:
        raise SystemExit("--jobs 应为正整数")
    params_dir = Path(args.params_dir)
    if not params_dir.is_dir():
        print(f"{params_dir}: 不是文件夹（not a folder）", file=sys.stderr)
        return EXIT_UNREADABLE
    progress = Progress() if args.quiet else BuildProgress(sys.stderr)
    from .paths import BUILD

    summary = build(params_dir, Path(args.out) if args.out else BUILD, years=set(args.year or ()) or None,
                    only=set(args.only or ()) or None, jobs=args.jobs, force=args.force,
                    timeout=args.timeout, strict=args.strict, scheduler=args.scheduler,
                    progress=progress, kinds=_kinds(args.to), bundle=args.bundle,
                    include_failed=args.include_failed)
    if not args.quiet:
        write_build_summary(summary, sys.stdout)
        for path in summary.bundles:
            print(f"报送包（bundle）：{path}")
        for why in summary.left_out:
            print(f"报送包未收入：{why}")
    else:
        for result in summary.failed:
            print(f"执行失败 {result.name}：{result.reason}", file=sys.stderr)
    return summary.exit_code


def _template(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .year.board import mark_sent
    from .year.template import templates

    if args.ledger:
        return _ledger_templates(args)
    from .paths import BUILD

    out = Path(args.out) if args.out else BUILD / "采集表" / str(args.year)
    result = templates(Path(args.params_dir), args.year, out, book=args.book, force=args.force)
    _board(lambda: mark_sent(Path(args.params_dir), args.year, result.sent))  # the board: 采集表已发
    if result.list_used:
        print(result.list_used)
    for reason in result.skipped:
        print(f"跳过 {reason}")
    for path in result.written:
        print(f"采集表 → {path}")
    for path in result.kept:
        print(f"跳过 {path}：已存在，未覆盖（可能已有填写；--force 覆盖）")
    if result.carried:
        print(f"已填入上年结转：{'、'.join(result.carried)}")
    return EXIT_OK


def _ledger_templates(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .paths import BUILD
    from .year.ledgerbook import ledger_templates

    out = Path(args.out) if args.out else BUILD / "台账" / str(args.year)
    done = ledger_templates(Path(args.params_dir), args.year, out, force=args.force)
    _say_ledgers(done)
    return EXIT_OK


def _say_ledgers(done) -> None:
    for reason in done.skipped:
        print(f"跳过 {reason}")
    for path in done.written:
        print(f"台账 → {path}")
    for path in done.kept:
        print(f"跳过 {path}：已存在，未覆盖（可能已有填写；--force 覆盖）")
    for name, n in done.carried.items():
        print(f"{name}：上年未办结的 {n} 件申请或案件已列入台账")


def _new_year(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .year.newyear import new_year

    result = new_year(Path(args.params_dir), args.year, dry_run=args.dry_run)
    verb = "将写出" if args.dry_run else "已写出"
    for path in result.written:
        print(f"{verb} {path}")
    for reason in result.skipped:
        print(f"跳过 {reason}")
    if result.county_updated:
        print(f"{'将在' if args.dry_run else '已在'} county.yaml 中加上 {args.year} 年度")
    if not args.dry_run:  # last year's ledgers: their unfinished requests and cases, by 编号 and 案号
        from .paths import BUILD
        from .year.ledgerbook import ledger_templates

        out = Path(args.ledger_out) if args.ledger_out else BUILD / "台账" / str(args.year)
        _say_ledgers(ledger_templates(Path(args.params_dir), args.year, out, only_carrying=True))
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    from .checks import KIT_RULES, RULES
    from .model import SEVERITY_ZH

    from .formats import EXPLAINABLE

    def line(rule_id: str, severity: str, title: str) -> str:
        answer = "可说明" if rule_id in EXPLAINABLE else "      "
        return f"{rule_id:<18} {SEVERITY_ZH[severity]}  {answer}  {title}"

    for rule in RULES:
        print(line(rule.id, rule.severity, rule.title))
    for rule_id, (severity, title) in KIT_RULES.items():
        print(line(rule_id, severity, title))
    print("“可说明”：该规则的问题可经审核记为“已说明”或“误报”（nianbao review）；其余只能改正。")
    return EXIT_OK


def _review(args: argparse.Namespace) -> int:
    import os
    from datetime import date
    from pathlib import Path

    from .checks.folder import check_paths
    from .checks.present import write_open
    from .params.write import write_atomic
    from .year import reviewing

    paths = [Path(p) for p in args.paths]
    if args.false_positives:
        text = reviewing.false_positives_csv(check_paths(paths))
        if args.out:
            write_atomic(Path(args.out), text)
            print(f"误报清单 → {args.out}")
        else:
            sys.stdout.write(text.lstrip("\ufeff"))
        return EXIT_OK
    if args.prune:
        done = reviewing.prune(paths)
        _board(lambda: reviewing.mark_reviewed(paths))
        for path, ids in done.pruned.items():
            print(f"{path}：删除 {len(ids)} 条已不再出现的问题的审核记录：{'、'.join(ids)}")
        _say_converted(done)
        if not done.pruned:
            print("没有需要删除的审核记录。")
        return EXIT_OK
    if not args.finding:
        if args.verdict or args.reason:
            raise SystemExit("nianbao review：记录审核须用 --finding 指明问题编号")
        write_open(check_paths(paths), sys.stdout)
        return EXIT_OK
    if not args.verdict:
        raise SystemExit("nianbao review：须用 --verdict 指明结论（已核实 / 已说明 / 误报）")
    try:
        verdict = reviewing.verdict_of(args.verdict)
        when = date.fromisoformat(args.date) if args.date else None
    except ValueError as exc:
        raise SystemExit(f"nianbao review：{exc}") from None
    by = args.by or os.environ.get("NIANBAO_REVIEWER", "")
    done = reviewing.record(paths, args.finding, verdict, args.reason, by, when)
    _board(lambda: reviewing.mark_reviewed([Path(p) for p in done.files]))
    for path, ids in done.files.items():
        for finding_id in ids:
            again = "（替换原有记录）" if finding_id in done.replaced else ""
            print(f"{path}：{finding_id} 记为 {verdict}{again}")
    _say_converted(done)
    return EXIT_OK


def _say_converted(done) -> None:
    for path in done.converted:
        print(f"{path}：原为 GB18030/GBK 编码，已另存为 UTF-8（内容不变）")


def _publish(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .year.board import publish

    township, warning = publish(Path(args.params_dir), args.unit, args.year, args.url, args.date)
    print(f"已记录：{township} {args.year} 年度报告于 {args.date} 发布（{args.url.strip()}）")
    if warning:
        print(f"注意：{warning}", file=sys.stderr)
    return EXIT_OK


def _show_board(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .year.board import board_lines

    print("\n".join(board_lines(Path(args.params_dir), args.year)))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .checks.folder import CountyFolder
    from .checks.present import write_json, write_text
    from .year.board import mark_folder

    folder = CountyFolder.open(args.paths)
    run = folder.check()
    (write_json if args.format == "json" else write_text)(run, sys.stdout)
    _board(lambda: mark_folder(folder, run))
    return run.exit_code


def _board(step) -> None:
    """Move the year's board (board.yaml beside county.yaml); a board that cannot be written or
    read is said, never the command's failure."""
    try:
        step()
    except (KitError, OSError) as exc:
        reason = storage_reason(exc) if isinstance(exc, OSError) else None
        print(f"进度表未更新（board not updated）：{reason or exc}", file=sys.stderr)


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
