"""The office's reviews of findings (issue 25): recorded in the params file, refused where a rule
may not be explained, reported stale or unknown with their lines, changing the status in every
form; and the year's board, moved by each command and shown on the county index."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from helpers.checks.folder import CountyFolder
from helpers.cli import main
from helpers.errors import ParamsError
from helpers.params.load import load_params
from helpers.params.write import format_params
from helpers.year.board import load_board
from util import ROOT

NIANBAO = Path(sys.executable).with_name("nianbao")
DEMO = ROOT / "params"
REASON = "本镇收到的申请中有 1 件为上年末收到、本年登记，正文按登记数表述，经县政务公开办核实"


@pytest.fixture
def county(tmp_path) -> Path:
    """The demo county, copied: reviews and the board are written into it."""
    folder = tmp_path / "params"
    shutil.copytree(DEMO, folder)
    return folder


def findings(path: Path) -> list[dict]:
    done = subprocess.run([NIANBAO, "check", str(path), "--format", "json"], capture_output=True,
                          text=True, check=False)
    return json.loads(done.stdout)


def the_id(path: Path, rule: str) -> str:
    [row] = [r for r in findings(path) if r["rule"] == rule]
    return row["id"]


def review(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([NIANBAO, "review", *args], capture_output=True, text=True, check=False)


def test_reviews_round_trip_through_the_params_file(county):
    """`nianbao review` writes the block and nothing else: the rest of the file stays byte for
    byte (comments too); a block in the middle of a CRLF file is replaced where it stands; the
    writer of the whole file writes the same reviews back."""
    path = county / "杨村镇_2021.yaml"
    before = path.read_bytes()
    finding = the_id(path, "M-UNIT")
    done = review(str(path), "--finding", finding, "--verdict", "误报", "--reason",
                  "“我乡”出自引用的群众来信原文，不是本单位自称", "--by", "李华", "--date", "2022-01-12")
    assert done.returncode == 0, done.stderr
    after = path.read_bytes()
    assert after.startswith(before) and b"reviews:" in after[len(before):]
    [answered] = load_params(path).reviews
    assert (answered.finding, answered.verdict, answered.by, answered.date) == (finding, "误报", "李华", "2022-01-12")
    assert answered.reason.startswith("“我乡”出自")
    # the whole-file writer (import, new-year) writes the same reviews back
    doc = load_params(path)
    again = county / "again.yaml"
    again.write_text(format_params(doc), encoding="utf-8")
    assert [(r.finding, r.verdict, r.reason, r.by, r.date) for r in load_params(again).reviews] == \
           [(r.finding, r.verdict, r.reason, r.by, r.date) for r in doc.reviews]

    # a CRLF file with its block in the middle, a comment after it: replaced in place
    other = county / "西河底镇_2021.yaml"
    text = other.read_text(encoding="utf-8")
    head, sep, tail = text.partition("\ntable2:")
    block = ('reviews:\n  "M-FEE@narrative.other":\n    verdict: 已核实\n    by: 王明\n'
             '    date: 2022-01-05\n# 二、主动公开政府信息情况（注释保留）')
    other.write_bytes((head + "\n" + block + sep + tail).replace("\n", "\r\n").encode("utf-8"))
    finding = the_id(other, "N-APPS")
    assert review(str(other), "--finding", finding, "--verdict", "已说明", "--reason", REASON,
                  "--by", "王明").returncode == 0
    written = other.read_bytes().decode("utf-8")
    assert "\n" not in written.replace("\r\n", "")  # every line still ends CRLF
    assert written.index("reviews:") < written.index("# 二、主动公开政府信息情况（注释保留）") < written.index("table2:")
    assert [r.finding for r in load_params(other).reviews] == ["M-FEE@narrative.other", finding]
    def without_block(t: str) -> str:
        return t[:t.index("reviews:")] + t[t.index("# 二、主动公开政府信息情况（注释保留）"):]

    original = (head + "\n" + block + sep + tail).replace("\n", "\r\n")
    assert without_block(written) == without_block(original)  # every other line as it was


def test_protected_rules_refuse_and_bad_reviews_are_named_with_their_lines(county):
    """A table that does not add up is never explained away: the command refuses (nothing
    written), and one typed by hand is REVIEW-PROTECTED on its line with the finding still
    counted; a review of a finding that does not fire is stale, of one that could not exist
    unknown, each on its line; --prune drops the stale only."""
    path = county / "附城镇_2021.yaml"
    balance = the_id(path, "T3-BALANCE")
    before = path.read_bytes()
    for verdict in ("已说明", "误报"):
        done = review(str(path), "--finding", balance, "--verdict", verdict, "--reason", "报表口径不同", "--by", "张三")
        assert done.returncode == 1 and "不能以" in done.stderr and path.read_bytes() == before
    assert review(str(path), "--finding", balance, "--verdict", "已核实", "--by", "张三").returncode == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    typed = [f'  "{balance}":', "    verdict: 已说明", "    reason: 口径不同", "    by: 张三", "    date: 2022-01-10",
             '  "T3-ROWTOTAL@table3.granted.total":', "    verdict: 已核实", "    by: 张三", "    date: 2022-01-10",
             '  "T9-NOPE@table3.granted":', "    verdict: 已核实", "    by: 张三", "    date: 2022-01-10",
             '  "CELL-BLANK@table3.no_such_row":', "    verdict: 已核实", "    by: 张三", "    date: 2022-01-10"]
    start = lines.index("reviews:                      # 审核记录（nianbao review）：问题编号 → 结论、理由、审核人、日期")
    lines[start + 1:] = typed
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = findings(path)
    at = {r["rule"]: r for r in rows if r["rule"].startswith("REVIEW-")}
    protected = next(r for r in rows if r["rule"] == "REVIEW-PROTECTED")
    assert protected["severity"] == "error" and protected["location"]["line"] == start + 2
    stale = next(r for r in rows if r["rule"] == "REVIEW-STALE")
    assert stale["severity"] == "warning" and stale["location"]["line"] == start + 7
    unknown = sorted(r["location"]["line"] for r in rows if r["rule"] == "REVIEW-UNKNOWN")
    assert unknown == [start + 11, start + 15] and at["REVIEW-UNKNOWN"]["severity"] == "error"
    assert any(r["rule"] == "T3-BALANCE" and not r["cleared"] for r in rows)  # still counted
    done = subprocess.run([NIANBAO, "check", str(path)], capture_output=True, text=True)
    assert done.returncode == 1 and f"{path}:{start + 7}" in done.stdout  # file:line, as typed
    assert review(str(county), "--prune").returncode == 0
    kept = [r.finding for r in load_params(path).reviews]
    assert "T3-ROWTOTAL@table3.granted.total" not in kept and "T9-NOPE@table3.granted" in kept


def test_a_review_the_loader_cannot_take_is_named_with_its_line(county):
    path = county / "杨村镇_2021.yaml"
    base = path.read_text(encoding="utf-8")
    cases = {"    verdict: 同意\n    by: 张三\n    date: 2022-01-10\n": "verdict",
             "    verdict: 已说明\n    by: 张三\n    date: 2022-01-10\n": "reason",
             "    verdict: 已核实\n    date: 2022-01-10\n": "by",
             "    verdict: 已核实\n    by: 张三\n    date: 2022-02-30x\n": "date"}
    for body, field in cases.items():
        path.write_text(base + '\nreviews:\n  "M-UNIT@narrative.general":\n' + body, encoding="utf-8")
        with pytest.raises(ParamsError) as caught:
            load_params(path)
        [problem] = caught.value.problems
        assert problem.field.endswith(field) and problem.line and problem.line > base.count("\n")
    twice = '  "M-FEE@narrative.other":\n    verdict: 已核实\n    by: 张\n    date: 2022-01-10\n'
    path.write_text(base + "\nreviews:\n" + twice + twice, encoding="utf-8")
    with pytest.raises(ParamsError, match="只审核一次"):
        load_params(path)


def test_false_positives_are_listed_for_the_maintainers(county):
    path = county / "杨村镇_2021.yaml"
    finding = the_id(path, "M-UNIT")
    assert review(str(path), "--finding", finding, "--verdict", "fp", "--reason", "=HYPERLINK(\"x\")",
                  "--by", "李华").returncode == 0
    out = county.parent / "误报.csv"
    assert review(str(county), "--false-positives", "-o", str(out)).returncode == 0
    [row] = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert row["编号"] == finding and row["规则"] == "M-UNIT" and row["审核人"] == "李华"
    assert row["误报理由"] == "'=HYPERLINK(\"x\")"  # never a formula in a spreadsheet
    assert row["行"] and int(row["行"]) > 0


def _texts(document: docx.document.Document) -> tuple[str, str]:
    body = "\n".join(p.text for p in document.paragraphs)
    heads = "\n".join(p.text for s in document.sections for h in (s.header, s.even_page_header)
                      for p in h.paragraphs)
    return body, heads


@pytest.mark.slow
def test_an_explained_error_changes_the_status_in_every_form(county, tmp_path):
    """西河底镇 2021 says 18 applications where table 三 counts another number (N-APPS, an error):
    校验未通过 and left out of the bundle. Explained, it is 校验通过（1 项已说明） on its page, in
    the Word file (as Writer prints it), the PDF, the index, its CSV, the county workbook and the
    bundle, and each prints the reason."""
    path = county / "西河底镇_2021.yaml"
    finding = the_id(path, "N-APPS")
    out = tmp_path / "build"
    args = [str(county), "--out", str(out), "--only", "西河底镇", "--year", "2021", "--to", "html,docx,pdf",
            "--bundle", "--quiet"]
    subprocess.run([NIANBAO, "build", *args], check=True, capture_output=True)
    assert "校验未通过" in (out / "2021" / "西河底镇_2021.html").read_text(encoding="utf-8")
    assert review(str(county), "--finding", finding, "--verdict", "已说明", "--reason", REASON,
                  "--by", "王明", "--date", "2022-01-15").returncode == 0
    subprocess.run([NIANBAO, "build", *args], check=True, capture_output=True)
    year = out / "2021"
    page = (year / "西河底镇_2021.html").read_text(encoding="utf-8")
    assert "校验通过（1 项已说明）" in page and REASON in page and "校验未通过" not in page
    body, heads = _texts(docx.Document(year / "西河底镇_2021.docx"))
    assert "校验未通过" not in body + heads and REASON in body and "附：校验说明" in body
    from office import soffice

    subprocess.run([soffice(), "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "writer"), str(year / "西河底镇_2021.docx")],
                   check=True, capture_output=True, timeout=120)
    printed = "".join(p.extract_text() for p in PdfReader(tmp_path / "writer" / "西河底镇_2021.pdf").pages)
    squeeze = lambda s: "".join(s.split())  # noqa: E731 - a PDF's text breaks lines anywhere
    assert squeeze(REASON) in squeeze(printed) and "校验未通过" not in printed
    pdf = "".join(p.extract_text() for p in PdfReader(year / "西河底镇_2021.pdf").pages)
    assert squeeze(REASON) in squeeze(pdf) and "校验未通过" not in pdf
    index = (year / "index.html").read_text(encoding="utf-8")
    row = index[index.index('data-township="西河底镇"'):]
    row = row[:row.index("</tr>")]
    assert "校验通过（1 项已说明）" in row and "已说明 1" in row
    [line] = [r for r in csv.DictReader(io.StringIO((year / "summary.csv").read_text(encoding="utf-8-sig")))
              if r["乡镇（街道）"] == "西河底镇"]
    assert line["状态"] == "校验通过（1 项已说明）" and line["已说明"] == "1" and line["错误"] == "0"
    book = load_workbook(year / "陵川县_2021.xlsx")
    summary = {r[0]: r for r in book["汇总"].iter_rows(values_only=True)}
    assert summary["西河底镇"][1] == "校验通过（1 项已说明）"
    found = [r for r in book["校验结果"].iter_rows(values_only=True) if r[0] == "西河底镇" and r[2] == "N-APPS"]
    assert found and found[0][-4:] == ("已说明", REASON, "王明", "2022-01-15")
    import zipfile

    with zipfile.ZipFile(year / "陵川县_2021_报送.zip") as packed:
        assert any(n.endswith("西河底镇_2021.pdf") and "校验未通过" not in n for n in packed.namelist())


def test_the_board_moves_with_each_command(county, tmp_path):
    """template → 采集表已发, import → 已收回, check → 校验, review → 已审核, publish → 已发布; check
    alone starts no board; the county index shows the board and names who has not reported."""
    from test_collect import fill

    main(["check", str(county)])
    assert not (county / "board.yaml").exists()  # a folder that keeps no board gets none
    today = date.today().isoformat()
    books = tmp_path / "books"
    assert main(["template", "--year", "2022", str(county), "--out", str(books)]) == 0
    board = load_board(county)
    assert {n: e.sent for n, e in board.years[2022].items()} == dict.fromkeys(["崇文镇", "礼义镇", "附城镇"], today)
    assert board.entry(2022, "礼义镇").stage == "采集表已发"
    doc = load_params(county / "礼义镇_2022.yaml")
    filled = fill(books / "礼义镇_2022_采集表.xlsx", doc, tmp_path / "礼义镇_2022_填好.xlsx")
    assert main(["import", str(filled), "--out", str(county), "--force"]) == 0
    assert load_board(county).entry(2022, "礼义镇").returned == today
    main(["check", str(county)])
    entry = load_board(county).entry(2022, "附城镇")
    assert entry.checked == today and entry.passed is False and entry.open == 1 and entry.reviewed is None
    finding = the_id(county / "附城镇_2022.yaml", "X-CARRY")
    assert main(["review", str(county / "附城镇_2022.yaml"), "--finding", finding, "--verdict", "已说明", "--reason",
                 "上年报告结转数有误，已更正", "--by", "王明"]) == 0
    entry = load_board(county).entry(2022, "附城镇")
    assert entry.passed is True and entry.open == 0 and entry.reviewed == today and entry.stage == "已审核"
    url = "https://www.lingchuan.gov.cn/zwgk/fcz/2023/0120.html"
    assert main(["publish", "附城镇", "2022", str(county), "--url", url, "--date", "2023-01-20"]) == 0
    entry = load_board(county).entry(2022, "附城镇")
    assert (entry.published, entry.url, entry.stage) == ("2023-01-20", url, "已发布")
    assert main(["publish", "附城镇", "2022", str(county), "--url", "javascript:alert(1)", "--date", "2023-01-20"]) != 0
    assert main(["publish", "不存在镇", "2022", str(county), "--url", url, "--date", "2023-01-20"]) != 0
    # the county index: the board, with 六泉乡's 2021 report missing past its deadline
    (county / "六泉乡_2021.yaml").unlink()
    out = tmp_path / "build"
    main(["build", str(county), "--out", str(out), "--only", "附城镇", "--year", "2022", "--quiet"])
    top = (out / "index.html").read_text(encoding="utf-8")
    board_html = top[top.index('id="board"'):]
    assert f'href="{url}"' in board_html and "已发布" in board_html
    assert "下级缺报（截至 2022-01-31 未报送）：六泉乡" in board_html
    row = board_html[board_html.index('data-township="附城镇"'):]
    assert today in row[:row.index("</tr>")]
    # the folder's own reader never takes the board for a township's params
    assert not CountyFolder.open([county]).unreadable
    shown = subprocess.run([NIANBAO, "board", str(county), "--year", "2021"], capture_output=True, text=True)
    assert shown.returncode == 0 and "下级缺报（截至 2022-01-31 未报送）：六泉乡" in shown.stdout
    line = next(x for x in subprocess.run([NIANBAO, "board", str(county)], capture_output=True,
                                          text=True).stdout.splitlines() if x.strip().startswith("附城镇 │ " + today))
    assert url in line and line.endswith("已发布")


def test_the_board_keeps_any_name_and_escapes_what_it_shows(tmp_path):
    """A township named with YAML's and HTML's own characters, an address with <script>: written,
    read back and shown as text; a township published without params is not 缺报."""
    from helpers.build.pages import top_page
    from helpers.params.county import load_county
    from helpers.year.board import year_board

    folder = tmp_path / "params"
    folder.mkdir()
    name = '甲镇: #1, [x] <b>"'
    (folder / "county.yaml").write_text(f'county: 测试县\nexpected:\n  2022: [{json.dumps(name, ensure_ascii=False)}, 乙镇]\n',
                                        encoding="utf-8")
    url = "https://x.gov.cn/a?b=1&c=<script>alert(1)</script>"
    assert main(["publish", name, "2022", str(folder), "--url", url, "--date", "2023-01-06"]) == 0
    board = load_board(folder)
    assert board.entry(2022, name).url == url
    shown = year_board(load_county(folder / "county.yaml"), board, 2022, {}, "2026-12-04")
    assert shown.late == ("乙镇",)  # published without params here: reported all the same
    page = top_page("总索引", [], (), False, boards=[shown])
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "<b>" not in page


def test_a_gbk_params_file_is_reviewed_and_said_to_be_utf8_now(county):
    """A file saved by a Windows tool in GB18030: the review is written, the file becomes UTF-8
    with the same content, and the command says so."""
    path = county / "杨村镇_2021.yaml"
    before = load_params(path)
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    finding = the_id(path, "M-UNIT")
    done = review(str(path), "--finding", finding, "--verdict", "已核实", "--by", "张三")
    assert done.returncode == 0 and "已另存为 UTF-8" in done.stdout
    after = load_params(path)
    path.read_bytes().decode("utf-8")
    assert (after.meta, after.narrative, after.tables) == (before.meta, before.narrative, before.tables)
    assert [r.finding for r in after.reviews] == [finding]


def test_a_review_is_recorded_in_a_file_whose_ledger_fills_blank_cells(county, tmp_path):
    """The report checked is the file with its ledger's counts in its blank cells; the file on
    disk keeps its blanks. Recording a review compares what it writes with the file, not with the
    report: the review is written, the blanks stay blank."""
    from test_ledger import filled_ledger, request

    path = county / "平城镇_2021.yaml"
    doc = load_params(path)
    book = filled_ledger(tmp_path / "平城镇_2021_台账.xlsx", doc.meta,
                         [request("1", "2021-03-01", "自然人", "（一）予以公开", "2021-03-10")],
                         [["案1", "行政诉讼·复议后起诉", "结果维持", "是", None]])
    assert main(["import", str(book), "--out", str(county)]) == 0
    assert CountyFolder.open([county]).docs[path].counted  # table 四's blank filled from the ledger
    finding = next(r["id"] for r in findings(path) if r["rule"] == "LEDGER-T3")
    done = review(str(path), "--finding", finding, "--verdict", "已说明", "--reason", "台账不全", "--by", "王明")
    assert done.returncode == 0, done.stderr
    after = load_params(path)
    assert [r.finding for r in after.reviews] == [finding] and after.tables == doc.tables
