"""The compiled SLA plan (``_sla_plan.py``): a policy compiled for one desk."""

from __future__ import annotations

import pytest

from sla_scenarios import (
    moscow,
    opening,
)
from ticketflow import (
    handle,
)
from ticketflow.presets import support_portal as portal


class TestCompiledPlan:
    def test_a_desk_pickles_with_its_compiled_plan(self) -> None:
        """A desk sent to another process recompiles its SLA plan and decides alike."""
        import pickle

        desk = portal.desk()
        copy = pickle.loads(pickle.dumps(desk))
        at = moscow(2026, 3, 2, 10)

        assert handle(desk, None, opening(at)).ticket == handle(copy, None, opening(at)).ticket

    def test_the_compiled_plan_is_read_only(self) -> None:
        """The plan belongs to a frozen desk: its attributes and tables cannot change."""
        plan = portal.desk().sla_plan

        with pytest.raises(AttributeError, match="read-only"):
            plan.terminal = frozenset()
        with pytest.raises(AttributeError, match="read-only"):
            plan.metrics[0].holds_in = frozenset()
        with pytest.raises(TypeError):
            plan.entering["active"] = (True, {})  # type: ignore[index]
