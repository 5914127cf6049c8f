"""`nianbao check`, `render`, `build` and `rules`: the reports and their checks."""

from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK, EXIT_UNREADABLE
from .office import board_step


def add(sub) -> None:
    """check, render, build."""
    from ..forms.outputs import OUTPUTS

    forms = "、".join(OUTPUTS)
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


def add_rules(sub) -> None:
    rules = sub.add_parser("rules", help="列出全部校验规则（list the rules）")
    rules.set_defaults(func=_rules)


def _check(args: argparse.Namespace) -> int:
    from ..checks.folder import CountyFolder
    from ..checks.present import write_json, write_text
    from ..year.board import mark_folder

    folder = CountyFolder.open(args.paths)
    run = folder.check()
    (write_json if args.format == "json" else write_text)(run, sys.stdout)
    board_step(lambda: mark_folder(folder, run))
    return run.exit_code


def _render(args: argparse.Namespace) -> int:
    """One report, named and placed as `nianbao build` would (./build/<year>/<name>.<kind>)."""
    from pathlib import Path

    from ..params.load import load_params
    from ..forms.outputs import OUTPUTS
    from ..paths import BUILD, safe_name
    from ..kernel.render import render

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
    from ..forms.outputs import kinds

    try:
        return kinds(text)
    except ValueError as exc:
        raise SystemExit(f"--to: {exc}") from None


def _build(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..build.batch import Progress, build
    from ..checks.present import BuildProgress, write_build_summary

    if args.jobs is not None and args.jobs < 1:
        raise SystemExit("--jobs 应为正整数")
    params_dir = Path(args.params_dir)
    if not params_dir.is_dir():
        print(f"{params_dir}: 不是文件夹（not a folder）", file=sys.stderr)
        return EXIT_UNREADABLE
    progress = Progress() if args.quiet else BuildProgress(sys.stderr)
    from ..paths import BUILD

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


def _rules(args: argparse.Namespace) -> int:
    from ..checks import KIT_RULES, RULES
    from ..model import SEVERITY_ZH

    from ..formats import EXPLAINABLE

    def line(rule_id: str, severity: str, title: str) -> str:
        answer = "可说明" if rule_id in EXPLAINABLE else "      "
        return f"{rule_id:<18} {SEVERITY_ZH[severity]}  {answer}  {title}"

    for rule in RULES:
        print(line(rule.id, rule.severity, rule.title))
    for rule_id, (severity, title) in KIT_RULES.items():
        print(line(rule_id, severity, title))
    print("“可说明”：该规则的问题可经审核记为“已说明”或“误报”（nianbao review）；其余只能改正。")
    return EXIT_OK
