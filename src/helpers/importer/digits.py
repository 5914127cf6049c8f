"""Run-together digits: a row whose numbers lost their separators in a crawl (``713000074`` for
71 | 3 | 0 | 0 | 0 | 0 | 74).

A row is decoded only when its own arithmetic — each 总计 column equal to the sum of its parts —
admits exactly one way to cut its digits into its columns, or, where it admits several, the
table's column totals (a 总计 row equal to the sum of its rows, every other row of it read) keep
exactly one. A number never starts with 0 unless it
is 0, and no count in a report runs past ``MAX_DIGITS`` digits. Where no split or more than one
fits, the row stays unread: never a silent misread.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_DIGITS = 7
MAX_STEPS = 200_000  # search steps before a row is given up as too ambiguous to decode


@dataclass(frozen=True)
class Sum:
    """Slot ``total`` holds the sum of slots ``parts`` (a 总计 column of one row)."""

    total: int
    parts: tuple[int, ...]

    @property
    def last(self) -> int:
        return max(self.total, *self.parts)

    def holds(self, values: list[int]) -> bool:
        return values[self.total] == sum(values[p] for p in self.parts)


def run_together(texts: list[str], slots: int) -> bool:
    """Whether a row's cells could be its digits run together: one plain digit string, at least
    as long as the row has columns. (Two or more numbers in a row that should have more are blank
    cells dropped, not separators: that row is left unread.)"""
    return len(texts) == 1 and texts[0].isascii() and texts[0].isdigit() and len(texts[0]) >= slots


def decode(texts: list[str], slots: int, sums: list[Sum]) -> list[int] | None:
    """The one way to cut the digit strings ``texts`` into ``slots`` numbers satisfying every
    sum; None when no way or more than one does."""
    found = splits(texts, slots, sums)
    return found[0] if found and len(found) == 1 else None


def splits(texts: list[str], slots: int, sums: list[Sum], limit: int = 64) -> list[list[int]] | None:
    """Every way (up to ``limit``) to cut the digit strings ``texts`` (in order, each into at
    least one number) into ``slots`` numbers satisfying every sum; None when there are more, or
    the search is too long, or the row cannot be run-together digits."""
    if not run_together(texts, slots) or not sums:
        return None  # without arithmetic, "12" may be 1 | 2 or 12 and a blank cell dropped
    by_last: dict[int, list[Sum]] = {}
    for s in sums:
        by_last.setdefault(s.last, []).append(s)
    found: list[list[int]] = []
    steps = [0]

    def walk(token: int, pos: int, values: list[int]) -> None:
        if len(found) > limit or steps[0] > MAX_STEPS:
            return
        steps[0] += 1
        if token == len(texts):
            if len(values) == slots:
                found.append(list(values))
            return
        text = texts[token]
        left = slots - len(values)
        # every remaining token needs at least one slot of its own
        if left < len(texts) - token or left > sum(len(t) for t in texts[token:]) - pos:
            return
        for end in range(pos + 1, min(len(text), pos + MAX_DIGITS) + 1):
            piece = text[pos:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            values.append(int(piece))
            if all(s.holds(values) for s in by_last.get(len(values) - 1, ())):
                if end == len(text):
                    walk(token + 1, 0, values)
                else:
                    walk(token, end, values)
            values.pop()

    walk(0, 0, [])
    return found if len(found) <= limit and steps[0] <= MAX_STEPS else None
