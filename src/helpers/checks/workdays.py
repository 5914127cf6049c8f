"""Working days as China's State Council sets them each year: weekends, the official holidays and
the weekend days made working days in exchange (调休), from ``chinesecalendar``, which carries
every year's arrangement since 2004 and is updated when the next year's is published.

A day beyond the years the library knows is taken as Monday to Friday, and the answer says so:
a deadline counted that way is an estimate until the library is updated.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


@lru_cache(maxsize=4096)
def is_workday(day: date) -> tuple[bool, bool]:
    """(a working day, the official calendar knows this day's year)."""
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:  # a year not yet published in the library
        return day.weekday() < 5, False


def add_workdays(start: date, days: int) -> tuple[date, bool]:
    """The ``days``-th working day after ``start`` — the day a request came is not counted
    (民法典第二百零一条: 开始的当日不计入) — and whether every day was in the official calendar."""
    day, left, known = start, days, True
    while left:
        day += timedelta(days=1)
        work, sure = is_workday(day)
        known = known and sure
        left -= work
    return day, known
