"""What importing ticketflow loads: the holidays package only when a calendar names a
country, and a country's holiday tables only when a query needs them.

Each test runs a fresh interpreter (what is imported is a property of the process), and
checks ``sys.modules``: a behaviour, never a time (the time is measured in
``benchmarks/run_all.py``).
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import ticketflow
import ticketflow.presets

INIT = Path(ticketflow.__file__)
PRESETS = tuple(ticketflow.presets.__all__)


def run_fresh(code: str) -> str:
    """The standard output of ``code`` run by a new interpreter (which must succeed)."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert 0 == done.returncode, done.stderr
    return done.stdout


def type_checked_imports() -> set[tuple[str, str]]:
    """(module, name) of every import under ``if TYPE_CHECKING:`` in ticketflow/__init__."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    (block,) = (
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    return {
        (node.module or "", alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


class TestLazyNamespace:
    def test_importing_ticketflow_loads_none_of_its_modules(self) -> None:
        """Given a fresh interpreter, when ticketflow is imported, then no other module of
        the package is loaded (each public name loads its module when first used)."""
        loaded = run_fresh(
            """
            import sys, ticketflow
            print(sorted(m for m in sys.modules if m.startswith("ticketflow.")))
            """
        )

        assert "[]" == loaded.strip()

    def test_a_name_loads_only_what_its_module_needs(self) -> None:
        """Given a fresh interpreter, when only Ticket is imported from ticketflow, then
        the engine (decide, the desk, the document readers) is not loaded."""
        loaded = run_fresh(
            """
            import sys
            from ticketflow import Ticket
            print(sorted(m for m in ("ticketflow._decide", "ticketflow._desk",
                                     "ticketflow._shapes") if m in sys.modules))
            """
        )

        assert "[]" == loaded.strip()

    def test_the_lazy_table_and_the_type_checked_imports_agree(self) -> None:
        """The table the interpreter reads and the imports type checkers read name the
        same names from the same modules, and those names are ``__all__``."""
        table = {(module, name) for module, names in ticketflow._HOMES.items() for name in names}

        assert (type_checked_imports(), sorted(ticketflow.__all__)) == (
            table,
            sorted(name for _, name in table),
        )

    @pytest.mark.parametrize("name", ticketflow.__all__)
    def test_every_public_name_is_its_modules_object(self, name: str) -> None:
        """Each public name is the very object its private module defines."""
        home = ticketflow._HOME[name]

        assert getattr(importlib.import_module(home), name) is getattr(ticketflow, name)

    def test_dir_lists_every_public_name(self) -> None:
        """``dir(ticketflow)`` lists every public name, loaded or not."""
        assert set(ticketflow.__all__) <= set(dir(ticketflow))

    def test_an_unknown_name_is_an_attribute_error(self) -> None:
        """An unknown name raises AttributeError naming it, as any module does."""
        with pytest.raises(AttributeError, match="'nope'"):
            ticketflow.nope  # noqa: B018


class TestImporting:
    def test_importing_ticketflow_and_every_preset_imports_no_holidays(self) -> None:
        """Given a fresh interpreter, when ticketflow, its presets package and every preset
        module are imported, then the holidays package is not among the loaded modules."""
        loaded = run_fresh(
            f"""
            import importlib, sys
            import ticketflow, ticketflow.presets
            for name in {list(PRESETS)!r}:
                importlib.import_module(f"ticketflow.presets.{{name}}")
            print(sorted(m for m in sys.modules if m.split(".")[0] == "holidays"))
            """
        )

        assert "[]" == loaded.strip()

    def test_a_preset_constant_and_desk_still_work_after_a_lazy_import(self) -> None:
        """Given a preset imported in a fresh interpreter, when its workflow constant and
        its desk are asked for, then they are the desk file's (the desk is read on first
        use)."""
        answer = run_fresh(
            """
            from ticketflow.presets import support_portal
            desk = support_portal.desk()
            print(desk.workflow is support_portal.WORKFLOW, desk.calendar.country)
            """
        )

        assert "True RU" == answer.strip()


class TestCountryHolidays:
    def test_a_country_calendar_loads_no_holiday_table_until_a_query_needs_one(self) -> None:
        """Given a calendar built with a country in a fresh interpreter, then no country's
        holidays are loaded; when it is asked about Christmas, then they are, and the day
        is closed."""
        answer = run_fresh(
            """
            import sys
            from datetime import datetime
            from zoneinfo import ZoneInfo
            from ticketflow import BusinessCalendar
            calendar = BusinessCalendar.weekdays("Europe/Berlin", country="DE")
            print("holidays.countries" in sys.modules)
            christmas = datetime(2026, 12, 25, 10, tzinfo=ZoneInfo("Europe/Berlin"))
            print(calendar.is_open(christmas), "holidays.countries" in sys.modules)
            """
        )

        assert ["False", "False True"] == answer.split("\n")[:2]
