"""The SLA policy (``_sla_policy.py``): the desk's metrics and the calendar they count on."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sla_scenarios import FULL, loosely
from ticketflow import InvalidTypeError, Metric, SlaPolicy

POLICY = loosely(SlaPolicy)


class TestMetrics:
    def test_a_policy_has_no_metrics_by_default(self) -> None:
        """An SLA policy built with nothing measures nothing and counts on the desk's calendar."""
        policy = SlaPolicy()

        assert ((), None) == (policy.metrics, policy.calendar)

    def test_a_metric_is_found_by_its_name(self) -> None:
        """``metric(name)`` gives the policy's metric of that name, and None for another."""
        first = Metric.first_response(FULL)
        policy = SlaPolicy(metrics=[first, Metric.resolution(FULL)])

        assert (first, None) == (policy.metric("first_response"), policy.metric("next_response"))

    def test_the_metrics_keep_their_order(self) -> None:
        """The metrics are held as a tuple in the order given: the order of a ticket's clocks."""
        policy = SlaPolicy(metrics=[Metric.resolution(FULL), Metric.first_response(FULL)])

        assert ("resolution", "first_response") == tuple(m.name for m in policy.metrics)


class TestWrongTypes:
    @pytest.mark.parametrize(
        "build",
        [
            lambda: POLICY(metrics=None),
            lambda: POLICY(metrics=1),
            lambda: POLICY(metrics="first_response"),
            lambda: POLICY(metrics=[[Metric.first_response(FULL)]]),
            lambda: POLICY(calendar="x"),
        ],
    )
    def test_a_wrong_type_in_a_policy_is_an_invalid_type_error(
        self, build: Callable[[], object]
    ) -> None:
        """A value of the wrong type for a policy raises InvalidTypeError."""
        with pytest.raises(InvalidTypeError):
            build()
