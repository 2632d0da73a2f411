"""The desk: one workflow and the policies that go with it, passed to every decision."""

from __future__ import annotations

from typing import final

import attrs

from ticketflow._workflow import Workflow

__all__ = ["Desk"]


@final
@attrs.frozen(kw_only=True)
class Desk:
    """Everything the decider needs to know about one support desk.

    A desk is a value: build it once at start-up and pass it to every call. Policies
    (business calendar, SLA, escalation, auto-close, notifications) join the workflow
    here as keyword fields with neutral defaults, so a desk built for an older version
    keeps working.

    Args:
        workflow: the statuses, transitions and reactions.

    >>> from ticketflow.presets import support_portal
    >>> Desk(workflow=support_portal.WORKFLOW).workflow.name
    'support-portal'
    """

    workflow: Workflow
