"""The SLA policy: the desk's metrics and the calendar they count on.

Depends on :mod:`ticketflow._sla_metric` and :mod:`ticketflow._sla_lint`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import final

import attrs

from ticketflow._calendar import BusinessCalendar
from ticketflow._checks import items_of
from ticketflow._errors import (
    Problem,
)
from ticketflow._sla_lint import metric_problems
from ticketflow._sla_metric import Metric, optional_calendar
from ticketflow._workflow import Workflow

__all__ = ["SlaPolicy"]


def _metrics(value: Iterable[Metric]) -> tuple[Metric, ...]:
    return items_of("SlaPolicy metrics", Metric, value)


@final
@attrs.frozen(kw_only=True)
class SlaPolicy:
    """The desk's SLA metrics (none by default) and the calendar they count on.

    Args:
        metrics: the metrics, in the order their clocks appear on tickets.
        calendar: the calendar for business-time targets (default: the desk's).

    >>> from datetime import timedelta
    >>> from ticketflow import BusinessTime
    >>> policy = SlaPolicy(metrics=[
    ...     Metric.first_response({"normal": BusinessTime(timedelta(hours=4))}),
    ...     Metric.resolution({"normal": BusinessTime(timedelta(hours=16))}),
    ... ])
    >>> [m.name for m in policy.metrics]
    ['first_response', 'resolution']
    """

    metrics: tuple[Metric, ...] = attrs.field(default=(), converter=_metrics)
    calendar: BusinessCalendar | None = attrs.field(default=None, converter=optional_calendar)

    def metric(self, name: str) -> Metric | None:
        """The metric called ``name``, if any."""
        for metric in self.metrics:
            if metric.name == name:
                return metric
        return None

    def problems(self, workflow: Workflow) -> list[Problem]:
        """Every way this policy does not fit ``workflow``, each with its fix."""
        return metric_problems(self.metrics, workflow)
