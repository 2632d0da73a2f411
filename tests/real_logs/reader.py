"""Reading the real event logs the log-based presets are built from.

Each log is a gzipped CSV file with a header, one row per event, the events of one
case on consecutive rows. Only the standard library reads it.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import operator
from collections.abc import Callable, Sequence
from os import PathLike
from typing import TypeVar

__all__ = ["read_cases"]

RowT = TypeVar("RowT")


def read_cases(
    path: str | PathLike[str],
    columns: Sequence[str],
    make: Callable[..., RowT],
    case_of: Callable[[RowT], str],
) -> tuple[tuple[RowT, ...], ...]:
    """Every case's rows, in the file's order.

    Args:
        path: the gzipped CSV log.
        columns: the header names whose values make a row, in ``make``'s order.
        make: builds a row from those values (positional).
        case_of: a row's case id; consecutive rows with one id make one case.

    Raises:
        OSError: the file cannot be read.
        KeyError: the header lacks one of ``columns``.
    """
    with gzip.open(path, "rt", encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        header = next(reader)
        missing = [name for name in columns if name not in header]
        if missing:
            raise KeyError(f"the log has no column {missing[0]!r}")
        pick = operator.itemgetter(*(header.index(name) for name in columns))
        rows = (make(*pick(row)) for row in reader)
        return tuple(tuple(group) for _, group in itertools.groupby(rows, key=case_of))
