"""check_paths over many files: the worker processes give the same findings as one process."""

from __future__ import annotations

import pickle

from helpers import check_paths
from helpers.checks.folder import PARALLEL_FROM
from helpers.params.write import format_params
from helpers.report.synthetic import synthetic_report


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
