"""Checking an SLA policy's metrics against a workflow (``_sla_lint.py``): every problem,
each with its fix, reported together when the desk is built.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from sla_scenarios import (
    FULL,
    MEGABYTE,
    US,
    Target,
    desk_with,
    every,
    hours,
)
from ticketflow import (
    AGENT_REPLY,
    OPENED,
    DeskDefinitionError,
    Metric,
    SlaPolicy,
    entered,
)
from ticketflow.presets import support_portal as portal


def _problems(*metrics: Metric) -> list[str]:
    return [str(p) for p in SlaPolicy(metrics=metrics).problems(portal.WORKFLOW)]


class TestLinter:
    def test_a_priority_without_a_target(self) -> None:
        """A priority of the workflow with no target is reported with the fix."""
        problems = _problems(
            Metric.first_response({"low": hours(8), "normal": hours(4), "high": hours(2)})
        )

        assert [
            "SLA metric 'first_response': has no target for priority 'critical' "
            "(fix: add a target for 'critical')"
        ] == problems

    def test_a_target_for_an_unknown_priority(self) -> None:
        """A target for a priority the workflow lacks is reported with the known ones."""
        problems = _problems(Metric.first_response({**FULL, "urgent": hours(1)}))

        assert [
            "SLA metric 'first_response': has a target for unknown priority 'urgent' "
            "(fix: use the workflow's priorities: low, normal, high, critical)"
        ] == problems

    @pytest.mark.parametrize("target", [hours(0), timedelta(0), timedelta(hours=-1)])
    def test_a_non_positive_target(self, target: Target) -> None:
        """A zero or negative target, business or real time, is reported."""
        problems = _problems(Metric.first_response({**FULL, "low": target}))

        assert [
            "SLA metric 'first_response': has a non-positive target for 'low' "
            "(fix: give a positive target)"
        ] == problems

    def test_an_unknown_signal(self) -> None:
        """A signal that is not an event kind or ``entered(<category>)`` is reported."""
        metric = Metric(
            name="custom",
            targets=FULL,
            starts_on=OPENED,
            stops_on=AGENT_REPLY,
            restarts_on="phase_of_moon",
        )

        assert [
            "SLA metric 'custom': uses unknown signal 'phase_of_moon' (fix: use agent_reply, "
            "customer_follow_up, customer_reply, opened, reopened or entered('<category>'))"
        ] == _problems(metric)

    def test_entered_an_unknown_category_is_an_unknown_signal(self) -> None:
        """``entered`` of a category that does not exist is an unknown signal."""
        metric = Metric(
            name="custom", targets=FULL, starts_on=entered("limbo"), stops_on=AGENT_REPLY
        )

        assert ["uses unknown signal 'entered:limbo'"] == [
            p.split(": ", 1)[1].split(" (fix")[0] for p in _problems(metric)
        ]

    def test_an_unknown_pause_category(self) -> None:
        """A pause in a category that does not exist is reported with the categories."""
        metric = Metric.first_response(FULL, pauses_in=["lunch"])

        assert [
            "SLA metric 'first_response': pauses in unknown category 'lunch' (fix: use one of "
            "active, canceled, closed, new, on_hold, resolved, waiting_on_customer)"
        ] == _problems(metric)

    def test_a_pause_containing_the_start(self) -> None:
        """A metric paused in the category the ticket starts in could never run."""
        metric = Metric.first_response(FULL, pauses_in=["active"])

        assert [
            "SLA metric 'first_response': is paused wherever it starts, so its clock could "
            "never run (fix: remove those categories from pauses_in or start it elsewhere)"
        ] == _problems(metric)

    def test_a_stop_no_status_reaches(self) -> None:
        """A metric that stops only on a category the workflow has no status of never stops."""
        metric = Metric(name="triage", targets=FULL, starts_on=OPENED, stops_on=entered("new"))

        assert [
            "SLA metric 'triage': stops only on categories no status of the workflow has, so "
            "it never stops (fix: stop it on a category the workflow uses: active, canceled, "
            "closed, on_hold, resolved, waiting_on_customer)"
        ] == _problems(metric)

    def test_next_response_longer_than_resolution(self) -> None:
        """A next-response target longer than the resolution target is reported per priority."""
        problems = _problems(
            Metric.next_response({**every(hours(4)), "critical": hours(10)}),
            Metric.resolution(every(hours(8))),
        )

        assert [
            "SLA metric 'next_response': has a target for 'critical' longer than the "
            "resolution target (fix: make the next-response target at most the resolution "
            "target)"
        ] == problems

    @pytest.mark.parametrize("fractions", [[0.0], [1.0], [0.5, 1.5], [-0.25]])
    def test_a_bad_warning_fraction(self, fractions: list[float]) -> None:
        """Warning fractions must lie strictly between 0 and 1."""
        problems = _problems(Metric.first_response(FULL, warnings=fractions))

        assert [
            "SLA metric 'first_response': has a warning fraction outside (0, 1) (fix: give "
            "fractions like 0.75)"
        ] == problems

    def test_a_duplicate_metric(self) -> None:
        """Two metrics with one name are reported."""
        problems = _problems(Metric.first_response(FULL), Metric.first_response(FULL))

        assert [
            "SLA metric 'first_response': is defined twice (fix: give each metric a unique name)"
        ] == problems

    def test_an_unknown_restart_setting(self) -> None:
        """``on_reopen`` other than resume or new_cycle is reported."""
        problems = _problems(Metric.resolution(FULL, on_reopen="rewind"))

        assert [
            "SLA metric 'resolution': has unknown on_restart 'rewind' (fix: use 'resume' or "
            "'new_cycle')"
        ] == problems

    def test_the_portal_policy_is_clean(self) -> None:
        """The portal's own SLA fits its workflow."""
        assert [] == portal.SLA.problems(portal.WORKFLOW)

    def test_problems_are_reported_together_by_the_desk(self) -> None:
        """Building a desk with a faulty policy raises one error listing every problem."""
        policy = SlaPolicy(
            metrics=[
                Metric.first_response(
                    {"normal": hours(4), "urgent": hours(1)}, pauses_in=["active"]
                ),
                Metric.next_response({**every(hours(2)), "low": hours(99)}, warnings=[2.0]),
                Metric.resolution(every(hours(8))),
                Metric.resolution(every(hours(8))),
            ]
        )

        with pytest.raises(DeskDefinitionError) as error:
            portal.desk(sla=policy)

        assert [
            ("SLA metric 'first_response'", "has no target for priority 'low'"),
            ("SLA metric 'first_response'", "has no target for priority 'high'"),
            ("SLA metric 'first_response'", "has no target for priority 'critical'"),
            ("SLA metric 'first_response'", "has a target for unknown priority 'urgent'"),
            (
                "SLA metric 'first_response'",
                "is paused wherever it starts, so its clock could never run",
            ),
            ("SLA metric 'next_response'", "has a warning fraction outside (0, 1)"),
            ("SLA metric 'resolution'", "is defined twice"),
            (
                "SLA metric 'next_response'",
                "has a target for 'low' longer than the resolution target",
            ),
        ] == [(p.where, p.what) for p in error.value.problems]
        assert "8 problems" in str(error.value)


class TestWarningsAreBounded:
    def test_twenty_thousand_warnings_are_refused_when_the_desk_is_built(self) -> None:
        """A metric with 20,000 warnings is a desk problem, not a loop at tick time."""
        metric = Metric.first_response(
            every(US), warnings=tuple(i / 20001 for i in range(1, 20001))
        )

        with pytest.raises(DeskDefinitionError) as raised:
            desk_with(metric)

        assert [
            "SLA metric 'first_response': has 20,000 warnings, more than the 10 a metric may "
            "have (fix: keep at most 10 warnings, e.g. (0.5, 0.75, 0.9))"
        ] == [str(p) for p in raised.value.problems]

    def test_a_warning_given_twice_is_reported(self) -> None:
        """The same warning fraction given twice is reported with its fix."""
        problems = _problems(Metric.first_response(FULL, warnings=(0.5, 0.5)))

        assert [
            "SLA metric 'first_response': has the same warning fraction twice "
            "(fix: give each fraction once)"
        ] == problems


class TestHugeValues:
    @pytest.mark.parametrize(
        "metric",
        [
            Metric(name=MEGABYTE, targets=FULL, starts_on=OPENED, stops_on=[MEGABYTE]),
            Metric.first_response({**FULL, MEGABYTE: hours(1)}),
            Metric.first_response(FULL, pauses_in=MEGABYTE),
            Metric(name="m", targets=FULL, starts_on=MEGABYTE, stops_on=AGENT_REPLY),
            Metric(
                name="m",
                targets=FULL,
                starts_on=OPENED,
                stops_on=AGENT_REPLY,
                on_restart=MEGABYTE,
            ),
        ],
        ids=["name", "priority", "category", "signal", "on_restart"],
    )
    def test_a_definition_problem_built_from_a_megabyte_has_a_short_message(
        self, metric: Metric
    ) -> None:
        """A desk refusing a 1 MB metric name, priority or signal says so in under 2 KB."""
        with pytest.raises(DeskDefinitionError) as raised:
            desk_with(metric)

        assert len(str(raised.value)) < 2000
