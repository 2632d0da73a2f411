"""Checking an SLA policy's metrics against a workflow: every problem, each with its fix.

Depends on :mod:`ticketflow._sla_metric` and the workflow; the policy
(:mod:`ticketflow._sla_policy`) calls it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import timedelta

from ticketflow._durations import BusinessTime
from ticketflow._errors import (
    Problem,
    quoted,
)
from ticketflow._sla_metric import MAX_WARNINGS, Metric, Target
from ticketflow._vocabulary import CATEGORIES, EVENT_SIGNALS, NEW_CYCLE, OPENED, RESUME, entered
from ticketflow._workflow import Workflow

__all__ = ["metric_problems"]


def metric_problems(metrics: Sequence[Metric], workflow: Workflow) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    add_all = problems.extend
    categories = {s.category for s in workflow.statuses}
    seen: set[str] = set()
    initial = workflow.category(workflow.initial)
    for metric in metrics:
        where = f"SLA metric {quoted(metric.name)}"
        if metric.name in seen:
            add(Problem(where, "is defined twice", "give each metric a unique name"))
        seen.add(metric.name)
        for priority in workflow.priorities:
            if metric.target(priority) is None:
                add(
                    Problem(
                        where,
                        f"has no target for priority {quoted(priority)}",
                        f"add a target for {quoted(priority)}",
                    )
                )
        for priority, target in metric.targets:
            if priority not in workflow.priorities:
                add(
                    Problem(
                        where,
                        f"has a target for unknown priority {quoted(priority)}",
                        f"use the workflow's priorities: {', '.join(workflow.priorities)}",
                    )
                )
            span = target.duration if isinstance(target, BusinessTime) else target
            if span <= timedelta(0):
                add(
                    Problem(
                        where,
                        f"has a non-positive target for {quoted(priority)}",
                        "give a positive target",
                    )
                )
        for signal in sorted(metric.starts_on | metric.stops_on | metric.restarts_on):
            if signal not in EVENT_SIGNALS and not (
                signal.startswith("entered:") and signal.removeprefix("entered:") in CATEGORIES
            ):
                add(
                    Problem(
                        where,
                        f"uses unknown signal {quoted(signal)}",
                        f"use {', '.join(sorted(EVENT_SIGNALS))} or entered('<category>')",
                    )
                )
        for category in sorted(metric.pauses_in - CATEGORIES):
            add(
                Problem(
                    where,
                    f"pauses in unknown category {quoted(category)}",
                    f"use one of {', '.join(sorted(CATEGORIES))}",
                )
            )
        if not metric.starts_on:
            add(Problem(where, "never starts", "give it a starts_on signal"))
        starts_in = {
            s.removeprefix("entered:") for s in metric.starts_on if s.startswith("entered:")
        }
        if OPENED in metric.starts_on:
            starts_in.add(initial)
        if (
            metric.starts_on
            and starts_in
            and metric.starts_on <= {OPENED} | {entered(c) for c in starts_in}
            and starts_in <= metric.pauses_in
        ):
            add(
                Problem(
                    where,
                    "is paused wherever it starts, so its clock could never run",
                    "remove those categories from pauses_in or start it elsewhere",
                )
            )
        stop_categories = {
            s.removeprefix("entered:") for s in metric.stops_on if s.startswith("entered:")
        }
        if (
            metric.stops_on
            and not metric.stops_on & EVENT_SIGNALS
            and not stop_categories & categories
        ):
            add(
                Problem(
                    where,
                    "stops only on categories no status of the workflow has, so it never stops",
                    f"stop it on a category the workflow uses: {', '.join(sorted(categories))}",
                )
            )
        if metric.on_restart not in (RESUME, NEW_CYCLE):
            add(
                Problem(
                    where,
                    f"has unknown on_restart {quoted(metric.on_restart)}",
                    "use 'resume' or 'new_cycle'",
                )
            )
        add_all(_warning_problems(where, metric.warnings))
    by_name = {metric.name: metric for metric in reversed(metrics)}  # the first of a name
    next_response = by_name.get("next_response")
    resolution = by_name.get("resolution")
    if next_response is not None and resolution is not None:
        for priority, target in next_response.targets:
            other = resolution.target(priority)
            if other is not None and _span(target) > _span(other):
                add(
                    Problem(
                        "SLA metric 'next_response'",
                        f"has a target for {quoted(priority)} longer than the resolution target",
                        "make the next-response target at most the resolution target",
                    )
                )
    return problems


def _warning_problems(where: str, warnings: tuple[float, ...]) -> list[Problem]:
    """What is wrong with a metric's warnings (sorted as :class:`Metric` keeps them)."""
    out: list[Problem] = []
    if len(warnings) > MAX_WARNINGS:
        out.append(
            Problem(
                where,
                f"has {len(warnings):,} warnings, more than the {MAX_WARNINGS} a metric may have",
                f"keep at most {MAX_WARNINGS} warnings, e.g. (0.5, 0.75, 0.9)",
            )
        )
    if any(not 0 < f < 1 for f in warnings):
        out.append(
            Problem(where, "has a warning fraction outside (0, 1)", "give fractions like 0.75")
        )
    if any(a == b for a, b in itertools.pairwise(warnings)):
        out.append(Problem(where, "has the same warning fraction twice", "give each fraction once"))
    return out


def _span(target: Target) -> timedelta:
    return target.duration if isinstance(target, BusinessTime) else target
