"""Benchmark: counting a request ledger — table 三 and 四, every request's legal deadline in
China's working days — as `check`, the report and the index do for a township with a ledger.

Builds a random ledger of N requests (default 1,000) and 20 cases across a year, counts it with a
cold calendar, then again with the calendar cached (another ledger of the same size: counts are
cached by their records), and prints both. The count is linear in the ledger's rows; each deadline
walks at most 40 working days.

    .venv/bin/python bench/ledger_speed.py [--requests 1000]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from helpers.checks.ledgercount import count
from helpers.formats import get_format
from helpers.formats.ledger import applicants, case_kinds, case_results, results
from helpers.model import Ledger, LedgerRecord


def ledger(n: int, seed: int, year: int = 2022) -> Ledger:
    spec, rnd = get_format("2021"), random.Random(seed)
    kinds, outcomes = [k for k, _ in case_kinds(spec)], [o for o, _ in case_results(spec)]
    who, what = [a for a, _ in applicants(spec)], [r for r, _ in results(spec)]
    requests = []
    for i in range(n):
        came = date(year, 1, 1) + timedelta(days=rnd.randint(0, 364))
        answered = came + timedelta(days=rnd.randint(1, 60))
        done = answered.year == year and rnd.random() < 0.9
        requests.append(LedgerRecord(i + 3, (f"{year}-{i:04d}", came.isoformat(), rnd.choice(who), "查询",
                                             None, rnd.choice(what) if done else None,
                                             answered.isoformat() if done else None, "否", None, None)))
    cases = tuple(LedgerRecord(i + 3, (f"案{i}", rnd.choice(kinds), rnd.choice(outcomes[:3]), "是", None))
                  for i in range(20))
    return Ledger("bench.xlsx", f"{seed:064d}", tuple(requests), cases)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    n = parser.parse_args().requests
    for label, seed in (("cold calendar", 1), ("calendar cached", 2)):
        book = ledger(n, seed)
        start = time.perf_counter()
        counted = count(book, "2021", 2022)
        took = time.perf_counter() - start
        print(f"{n} requests, {len(book.cases)} cases ({label}): {took * 1000:.0f} ms "
              f"({len(counted.late)} late, {len(counted.open)} open on 12月31日)")


if __name__ == "__main__":
    main()
