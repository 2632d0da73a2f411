"""Auto-close: close a quiet ticket after a period without customer activity.

The policy is written against status **categories** (or names), so one policy serves
every workflow: "close a ticket that has waited 3 business days in a ``resolved``
status without a word from the customer, reminding them one business day before".
It contributes no machinery of its own: each rule becomes a workflow :class:`Timer`
measured from the customer's last activity (or, with ``since="last_update"``, from the
ticket's last update by anybody, as ServiceNow counts; or from entering the status
alone, ``since="entered"``), run by the one timer mechanism of
:func:`ticketflow.tick`. Reopen windows live on the workflow's reopen reactions
(``Reaction.within``); when a closed ticket is final, :func:`follow_up` builds the
command that opens a new ticket linked to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Final, final

import attrs

from ticketflow._checks import items_of, require_str, sequence_of
from ticketflow._commands import OpenTicket
from ticketflow._durations import Duration, check_duration
from ticketflow._errors import Problem, quoted, quoted_names
from ticketflow._ticket import Actor, Ticket, require_ticket
from ticketflow._vocabulary import (
    SINCE_CUSTOMER_ACTIVITY,
    SINCE_ENTERED,
    TIMER_SINCES,
)
from ticketflow._workflow import Workflow, timer_problems
from ticketflow._workflow_parts import Timer, quiet_for

__all__ = ["AutoClose", "AutoClosePolicy", "follow_up"]


def _durations(value: Iterable[Duration]) -> tuple[Duration, ...]:
    # Each lead's own type and size is a problem the desk reports (check_duration).
    return sequence_of("AutoClose reminders", "an iterable of durations", value)


@final
@attrs.frozen(kw_only=True)
class AutoClose:
    """Close tickets that stay quiet for ``after`` in the statuses ``when`` names.

    Args:
        when: a status category (``"resolved"``, ``"waiting_on_customer"``, ...) or a
            status name.
        after: the quiet period: real time, calendar days, business time or business
            days (the desk's calendar).
        action: the action the desk's ``system`` performs to close the ticket.
        reminders: leads before the close at which the requester is reminded.
        since: where the quiet period starts (a name of
            :data:`~ticketflow._vocabulary.TIMER_SINCES`): ``"customer_activity"`` (the
            default: entering the status, restarted by every public reply or action of
            the requester), ``"last_update"`` (restarted by every update anybody makes,
            ``Ticket.last_update_at``: ServiceNow's "from the resolved date or the last
            update") or ``"entered"`` (entering the status alone). A name outside these
            is a problem the desk reports.

    >>> from ticketflow import BusinessDays
    >>> AutoClose(when="resolved", after=BusinessDays(3), reminders=[BusinessDays(1)]).action
    'close'
    >>> AutoClose(when="resolved", after=BusinessDays(3), since="last_update").since
    'last_update'
    """

    when: str = attrs.field(validator=lambda _, __, v: require_str("an auto-close rule's when", v))
    after: Duration
    action: str = attrs.field(
        default="close", validator=lambda _, __, v: require_str("an auto-close rule's action", v)
    )
    reminders: tuple[Duration, ...] = attrs.field(default=(), converter=_durations)
    since: str = attrs.field(
        default=SINCE_CUSTOMER_ACTIVITY,
        validator=lambda _, __, v: require_str("an auto-close rule's since", v),
    )

    @property
    def name(self) -> str:
        """The name of the timer this rule becomes."""
        return f"auto-close {self.when}"

    def statuses(self, workflow: Workflow) -> frozenset[str]:
        """The statuses of ``workflow`` this rule runs in."""
        return frozenset(s.name for s in workflow.statuses if self.when in (s.name, s.category))


def _rules(value: Iterable[AutoClose]) -> tuple[AutoClose, ...]:
    return items_of("AutoClosePolicy rules", AutoClose, value)


@final
@attrs.frozen
class AutoClosePolicy:
    """The desk's auto-close rules (none by default).

    >>> from ticketflow import BusinessDays
    >>> from ticketflow.presets import support_portal
    >>> policy = AutoClosePolicy([AutoClose(when="resolved", after=BusinessDays(3))])
    >>> [t.reason for t in policy.timers(support_portal.WORKFLOW)]
    ['closed automatically: no customer response for 3 business days']
    """

    rules: tuple[AutoClose, ...] = attrs.field(default=(), converter=_rules)

    def timers(self, workflow: Workflow) -> tuple[Timer, ...]:
        """The rules as timers of ``workflow``, each measured from where its ``since``
        says (by default the customer's last activity)."""
        return tuple(
            Timer(
                name=rule.name,
                statuses=rule.statuses(workflow),
                after=rule.after,
                action=rule.action,
                since=rule.since,
                reminders=rule.reminders,
                reason=f"closed automatically: {quiet_for(rule.after, rule.since)}",
            )
            for rule in self.rules
        )

    def problems(self, workflow: Workflow) -> list[Problem]:
        """Every way these rules do not fit ``workflow``, each with its fix.

        Each period and reminder lead must be a positive duration of at most 100 years
        (:func:`ticketflow._durations.check_duration`), so no rule a desk accepts
        overflows later.
        """
        problems: list[Problem] = []
        timers: list[Timer] = []
        for i, (rule, made) in enumerate(zip(self.rules, self.timers(workflow), strict=True)):
            where = f"auto-close rule {quoted(rule.when)}"
            if not made.statuses:
                problems.append(
                    Problem(
                        f"auto_close.rules[{i}].when",
                        f"matches no status or category of workflow {quoted(workflow.name)}",
                        _known_names(workflow),
                    )
                )
            if rule.since not in TIMER_SINCES:
                problems.append(
                    Problem(
                        f"auto_close.rules[{i}].since",
                        f"is {quoted(rule.since)}, not a start of a quiet period",
                        f"use one of {quoted_names(TIMER_SINCES, limit=len(TIMER_SINCES))}",
                    )
                )
            # An unknown start is reported here, at the rule; the timer checks would
            # report it again.
            timer = made if rule.since in TIMER_SINCES else attrs.evolve(made, since=SINCE_ENTERED)
            faults = [check_duration(where, rule.after, "its period")]
            faults += [check_duration(where, lead, "its reminder lead") for lead in rule.reminders]
            found = [p for p in faults if p is not None]
            problems += found
            # Its other problems are still reported, once: with its durations stood in
            # for, so the timer checks do not report them again.
            checked = attrs.evolve(timer, after=_STAND_IN, reminders=()) if found else timer
            if checked.statuses:
                timers.append(checked)
        return problems + timer_problems(workflow, timers, owner="auto-close policy")


_STAND_IN: Final = timedelta(days=1)
_SHOWN: Final = 30
"""How many of a workflow's statuses a problem offers (a workflow may define many)."""


def _known_names(workflow: Workflow) -> str:
    """The fix of a ``when`` that matches nothing: the names it may give instead."""
    statuses = [s.name for s in workflow.statuses]
    categories = dict.fromkeys(str(s.category) for s in workflow.statuses)
    return (
        f"use one of its categories {quoted_names(categories, limit=len(categories))} "
        f"or one of its statuses {quoted_names(statuses, limit=_SHOWN)}"
    )


def follow_up(
    ticket: Ticket,
    *,
    actor: Actor,
    at: datetime,
    ticket_id: str,
    subject: str | None = None,
    description: str = "",
) -> OpenTicket:
    """The command that opens a new ticket following up on ``ticket`` (a closed one).

    The new ticket keeps the requester, priority and group, and names ``ticket`` as
    its parent. Send it with :func:`ticketflow.handle` like any command.

    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> closed = Ticket(id="T-1", subject="No dial tone", status="closed", priority="high",
    ...                 requester="alice", created_at=at, updated_at=at, status_since=at,
    ...                 version=9)
    >>> command = follow_up(closed, actor=Actor.customer("alice"), at=at, ticket_id="T-2")
    >>> command.parent_id, command.subject, command.priority
    ('T-1', 'Follow-up to T-1: No dial tone', 'high')
    """
    require_ticket("ticket", ticket)
    return OpenTicket(
        actor=actor,
        at=at,
        ticket_id=ticket_id,
        subject=subject if subject is not None else f"Follow-up to {ticket.id}: {ticket.subject}",
        description=description,
        requester=ticket.requester,
        priority=ticket.priority,
        group=ticket.group,
        parent_id=ticket.id,
    )
