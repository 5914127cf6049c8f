"""check_paths over many files: the worker processes give the same findings as one process."""

from __future__ import annotations

import pickle
import shutil

from helpers import check_paths
from helpers.checks.folder import PARALLEL_FROM
from helpers.params.write import format_params
from helpers.report.synthetic import synthetic_report
from util import GUOJIAO


def test_parallel_and_serial_agree(tmp_path):
    previous = None
    for i in range(PARALLEL_FROM + 6):
        year = 2020 + i % 3
        doc = synthetic_report(f"镇{i // 3:02d}", year, seed=i, previous=previous if year > 2020 else None)
        previous = doc
        text = format_params(doc)
        if i % 7 == 0:  # a cross-year error now and then
            text = text.replace("carried_over:            [", "carried_over:            [9", 1)
        (tmp_path / f"镇{i // 3:02d}_{year}.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "坏_2021.yaml").write_text("meta: [", encoding="utf-8")

    def flat(run):
        return sorted((r.path, f.rule, f.location.field) for r in run.reports for f in r.findings)

    serial, parallel = check_paths([tmp_path], jobs=1), check_paths([tmp_path], jobs=2)
    assert flat(serial) == flat(parallel)
    assert {"X-CARRY", "T3-BALANCE"} <= {rule for _, rule, _ in flat(serial)}
    assert [e.path for e in serial.unreadable] == [e.path for e in parallel.unreadable]
    assert serial.exit_code == parallel.exit_code == 2


def test_reports_survive_pickling():
    doc = synthetic_report("示例镇", 2021, seed=1)
    again = pickle.loads(pickle.dumps(doc))
    assert again.spec is doc.spec and again.tables["table3"].cells == doc.tables["table3"].cells


def test_a_township_name_that_is_not_a_file_name_is_never_made_a_path(tmp_path):
    from helpers.params.write import format_params
    from util import report, with_meta

    doc = with_meta(report(), township="../<b>x</b>乡")
    (tmp_path / "x_2021.yaml").write_text(format_params(doc), encoding="utf-8")
    run = check_paths([tmp_path])
    assert run.unreadable == [] and len(run.reports) == 1


def test_a_finding_keeps_its_id_when_the_file_is_edited_elsewhere(tmp_path):
    """Ids name the rule and where the finding stands (field, column, sentence), never the line:
    text added above every finding moves their lines and keeps their ids (issue 25.1)."""
    from helpers.checks.folder import check_paths

    def ids_and_lines(path):
        found = [f for _, f in check_paths([path]).findings]
        return {f.id for f in found}, {f.location.line for f in found}

    original = GUOJIAO.read_text(encoding="utf-8")
    edited = tmp_path / GUOJIAO.name
    edited.write_text(original.replace("\nmeta:", "\n# 审核人备注：已核对\n# 第二行备注\nmeta:", 1),
                      encoding="utf-8")
    shutil.copy(GUOJIAO.with_name("county.yaml"), tmp_path / "county.yaml")
    before, after = ids_and_lines(GUOJIAO), ids_and_lines(edited)
    assert before[0] == after[0] and before[1] != after[1]
    assert "CELL-BLANK@table3.granted" in before[0]
