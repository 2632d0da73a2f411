"""benchmarks/run_all.py builds its one table from real measurements: a smoke run of the
state-machine section at a tiny size (well under a second), and the table's ratio.

Speed is never asserted here (it is measured in ``benchmarks/``): these tests check
that the table puts each figure beside its peer and says which is ahead.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_run_all() -> ModuleType:
    """benchmarks/run_all.py as a module (the scripts' folder is not a package)."""
    sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location("run_all", BENCHMARKS / "run_all.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_all"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run_all() -> ModuleType:
    return load_run_all()


class TestTable:
    def test_a_tiny_state_machine_run_puts_each_peer_beside_ticketflow(
        self, run_all: ModuleType
    ) -> None:
        """Given the state-machine section run at a tiny size, when its table is built,
        then each installed peer has a row with ticketflow's figure, its own and the
        ratio of the two."""
        tiny = dataclasses.replace(run_all.QUICK, rounds=1, transitions=50)
        rows = run_all.state_machines(tiny)

        lines = run_all.table(rows, markdown=True).splitlines()[2:]

        assert [(row.peer, run_all.ratio(row.ours / row.theirs)) for row in rows] == [
            (line.split(" | ")[3], line.split(" | ")[5]) for line in lines
        ]

    @pytest.mark.parametrize(
        ("unit", "ours", "theirs", "expected"),
        [("/s", 300.0, 100.0, 3.0), ("µs", 2.0, 10.0, 5.0), ("B", 400.0, 100.0, 0.25)],
    )
    def test_the_advantage_is_above_one_when_ticketflow_is_ahead(
        self, run_all: ModuleType, unit: str, ours: float, theirs: float, expected: float
    ) -> None:
        """A rate is better higher and a time or a size lower: the advantage is how many
        times better ticketflow's figure is, whichever the unit."""
        row = run_all.Row("area", "what", ours, unit, "peer", theirs)

        assert expected == row.advantage
