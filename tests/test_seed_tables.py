"""Seed coverage is visible (issue 14, deliverable 2): every preset has a page under
``docs/presets/`` whose table maps each sentence of its seed (or each finding of its
log) to the rule it became and the test that checks it, and every test a table names
exists, as pytest collects it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Final, NamedTuple

import pytest

import ticketflow.presets

ROOT: Final = Path(__file__).resolve().parents[1]
PAGES: Final = ROOT / "docs" / "presets"
NODE: Final = re.compile(r"`(tests/test_[a-z0-9_]+\.py::[A-Za-z0-9_:]+)`")
"""A test named in a table's cell: ``tests/test_x.py::TestClass::test_name``, in backticks."""


class Row(NamedTuple):
    """One row of a seed table: the page and line it is on, its cells, the tests it names."""

    page: str
    line: int
    sentence: str
    rule: str
    tests: tuple[str, ...]


def rows_of(text: str, page: str = "page") -> list[Row]:
    """The rows of every seed table of a page: a Markdown table whose header's first
    column is a seed's sentence (or a log's finding) and whose last is ``test``."""
    rows: list[Row] = []
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not in_table:
            header = [cell.lower() for cell in cells]
            in_table = (
                len(header) >= 3 and header[0].startswith(("seed", "log")) and "test" in header[-1]
            )
            continue
        if set("".join(cells)) <= set("-: "):
            continue  # the header's separator row
        rows.append(Row(page, number, cells[0], cells[1], tuple(NODE.findall(cells[-1]))))
    return rows


@cache
def all_rows() -> tuple[Row, ...]:
    return tuple(
        row
        for path in sorted(PAGES.glob("*.md"))
        for row in rows_of(path.read_text(encoding="utf-8"), path.name)
    )


@cache  # one collection per set of files: each is a pytest process of its own
def _collected(files: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The node ids pytest collects from ``files`` (parameters dropped), and the files it
    skipped whole (a real-data module whose log is not here)."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    ids = {line.partition("[")[0] for line in done.stdout.splitlines() if "::" in line}
    # A module skipped whole at collection collects nothing and is named by none of the
    # ids (pytest names the helper that skipped it, not the module).
    skipped = {f for f in files if not any(i.startswith(f"{f}::") for i in ids)}
    return frozenset(ids), frozenset(skipped)


def _defined(file: str) -> set[str]:
    """The test node ids a module's source defines (for a module skipped at collection)."""
    tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
    ids = {
        f"{file}::{n.name}"
        for n in tree.body
        if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
    }
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            ids |= {
                f"{file}::{node.name}::{n.name}"
                for n in node.body
                if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
            }
    return ids


@cache
def known_tests() -> frozenset[str]:
    files = tuple(sorted({test.partition("::")[0] for row in all_rows() for test in row.tests}))
    ids, skipped = _collected(files)
    for file in skipped:
        ids |= _defined(file)
    return frozenset(ids)


class TestEveryPresetHasItsTable:
    @pytest.mark.parametrize("name", ticketflow.presets.__all__)
    def test_every_preset_has_a_page_with_a_seed_table(self, name: str) -> None:
        """Given a preset, then ``docs/presets/<name>.md`` exists and holds a seed table
        of at least three rows."""
        page = PAGES / f"{name}.md"

        rows = rows_of(page.read_text(encoding="utf-8"), page.name) if page.is_file() else []

        assert (True, True) == (page.is_file(), len(rows) >= 3)

    def test_every_row_says_its_sentence_its_rule_and_a_test(self) -> None:
        """Every row of every table has a sentence, a rule and at least one test."""
        bare = [
            f"{row.page}:{row.line}"
            for row in all_rows()
            if not (row.sentence and row.rule and row.tests)
        ]

        assert [] == bare


class TestEveryListedTestExists:
    def test_every_test_a_table_names_is_collected(self) -> None:
        """Every test a seed table names is one pytest collects (a renamed or deleted test
        fails here, naming the page and line of its row)."""
        missing = [
            f"{row.page}:{row.line}: {test}"
            for row in all_rows()
            for test in row.tests
            if test not in known_tests()
        ]

        assert [] == missing

    def test_a_missing_test_is_found(self) -> None:
        """The check sees a row naming a test that does not exist (so its silence means
        something), and a parametrized test is found by its name without parameters."""
        text = (
            "| seed sentence | rule | test |\n| --- | --- | --- |\n"
            '| "New" | status new | `tests/test_case_portal.py::TestLocatingCases::test_nope` |\n'
            '| "x" | y | `tests/test_case_portal.py::TestFiles::test_a_hostile_upload_is_refused`'
            " |\n"
        )
        rows = rows_of(text)
        files = ("tests/test_case_portal.py",)

        ids, _ = _collected(files)

        assert [False, True] == [row.tests[0] in ids for row in rows]

    def test_a_table_without_a_test_column_is_no_seed_table(self) -> None:
        """Only tables headed by a seed's sentence (or a log's finding) and a test column
        are read: another table of a page is left alone."""
        text = "| status | category |\n| --- | --- |\n| new | new |\n"

        assert [] == rows_of(text)

    def test_a_module_skipped_at_collection_is_read_from_its_source(self) -> None:
        """For a module pytest skips whole (a real log missing), the tests its source
        defines stand in for the collected ones: the same ids, parameters aside."""
        file = "tests/test_case_portal.py"

        ids, _ = _collected((file,))

        assert ids == _defined(file)
