"""The office's year: `nianbao template` (collection workbooks and ledgers), `new-year`,
`review`, `publish` and `board`, and the board's steps the other commands move."""

from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK, KitError, storage_reason


def add(sub) -> None:
    """template, new-year, review, publish, board."""
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


def _template(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..paths import BUILD
    from ..year.board import mark_sent
    from ..year.template import templates

    if args.ledger:
        return _ledger_templates(args)
    out = Path(args.out) if args.out else BUILD / "采集表" / str(args.year)
    result = templates(Path(args.params_dir), args.year, out, book=args.book, force=args.force)
    board_step(lambda: mark_sent(Path(args.params_dir), args.year, result.sent))  # the board: 采集表已发
    if result.list_used:
        print(result.list_used)
    _say_books(result, "采集表")
    if result.carried:
        print(f"已填入上年结转：{'、'.join(result.carried)}")
    return EXIT_OK


def _ledger_templates(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..paths import BUILD
    from ..year.ledgerbook import ledger_templates

    out = Path(args.out) if args.out else BUILD / "台账" / str(args.year)
    _say_ledgers(ledger_templates(Path(args.params_dir), args.year, out, force=args.force))
    return EXIT_OK


def _say_books(done, what: str) -> None:
    """The workbooks a template run wrote (collection workbooks, ledgers), kept and skipped."""
    for reason in done.skipped:
        print(f"跳过 {reason}")
    for path in done.written:
        print(f"{what} → {path}")
    for path in done.kept:
        print(f"跳过 {path}：已存在，未覆盖（可能已有填写；--force 覆盖）")


def _say_ledgers(done) -> None:
    _say_books(done, "台账")
    for name, n in done.carried.items():
        print(f"{name}：上年未办结的 {n} 件申请或案件已列入台账")


def _new_year(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..year.newyear import new_year

    result = new_year(Path(args.params_dir), args.year, dry_run=args.dry_run)
    verb = "将写出" if args.dry_run else "已写出"
    for path in result.written:
        print(f"{verb} {path}")
    for reason in result.skipped:
        print(f"跳过 {reason}")
    if result.county_updated:
        print(f"{'将在' if args.dry_run else '已在'} county.yaml 中加上 {args.year} 年度")
    if not args.dry_run:  # last year's ledgers: their unfinished requests and cases, by 编号 and 案号
        from ..paths import BUILD
        from ..year.ledgerbook import ledger_templates

        out = Path(args.ledger_out) if args.ledger_out else BUILD / "台账" / str(args.year)
        _say_ledgers(ledger_templates(Path(args.params_dir), args.year, out, only_carrying=True))
    return EXIT_OK


def _review(args: argparse.Namespace) -> int:
    import os
    from datetime import date
    from pathlib import Path

    from ..checks.folder import check_paths
    from ..checks.present import write_open
    from ..params.write import write_atomic
    from ..year import reviewing

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
        if done.pruned:  # the files changed, checked again for the board (the folder was, before)
            board_step(lambda: reviewing.mark_reviewed([Path(p) for p in done.pruned]))
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
    board_step(lambda: reviewing.mark_reviewed([Path(p) for p in done.files]))
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

    from ..year.board import publish

    township, warning = publish(Path(args.params_dir), args.unit, args.year, args.url, args.date)
    print(f"已记录：{township} {args.year} 年度报告于 {args.date} 发布（{args.url.strip()}）")
    if warning:
        print(f"注意：{warning}", file=sys.stderr)
    return EXIT_OK


def _show_board(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..year.board import board_lines

    print("\n".join(board_lines(Path(args.params_dir), args.year)))
    return EXIT_OK


def board_step(step) -> None:
    """Move the year's board (board.yaml beside county.yaml); a board that cannot be written or
    read is said, never the command's failure."""
    try:
        step()
    except (KitError, OSError) as exc:
        reason = storage_reason(exc) if isinstance(exc, OSError) else None
        print(f"进度表未更新（board not updated）：{reason or exc}", file=sys.stderr)
