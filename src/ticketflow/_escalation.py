"""Escalation: which reasons are valid, checked against evidence, and support tiers.

Theory of operation
-------------------
The seed portal (000/001) writes down what an escalation is for: the work violates the
SLA or nobody answered for a long time; the problem changed scope; other significant
circumstances. And what it is not: an escalation without a clear reason, or one made
only to raise the priority. :func:`validate_escalation` checks a request against those
rules and returns **every** :class:`Violation` at once, each with a code and a message
the requester can act on. An SLA reason is checked, not trusted: a clock must be
breached or past :attr:`EscalationPolicy.sla_fraction` of its target, or the desk's last
public answer must be older than :attr:`EscalationPolicy.quiet_period` of business time.

Support tiers (seed 003: L1 analysis, L2 confirmation, L3 assessment) are levels with
entry conditions written as fields the ticket must carry. Moving up one level is the
normal path; skipping a level or moving down is allowed only to the roles the policy
names and is always flagged in the event, because real logs show it happens.

Who asks is checked first: to an actor who may not see the ticket (another customer, the
anonymous actor, a role the desk does not declare) the validators answer one
``not_found`` violation, the same whatever the ticket's state, so an outsider learns
nothing of its status, cooldowns or SLA clocks. They return violations rather than
raise, as for every other rule: :func:`ticketflow.handle` turns an outsider's command
into :class:`~ticketflow.TicketNotFoundError` before any of them runs.

Instants are compared in UTC (a cooldown ending in a repeated DST hour ends when it
truly does); a cooldown, quiet period or SLA threshold that would end after the year
9999 never ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Final, final

import attrs

from ticketflow._calendar import BusinessCalendar
from ticketflow._checks import names, require_int, require_str, sequence, sequence_of
from ticketflow._commands import ChangeSupportLevel, Escalate
from ticketflow._durations import (
    MAX_DURATION_DAYS,
    BusinessDays,
    BusinessTime,
    CalendarDays,
    Duration,
    check_duration,
    is_duration,
    shift,
)
from ticketflow._errors import InvalidTypeError, InvalidValueError, Violation, quoted, quoted_names
from ticketflow._instants import require_instant, utc
from ticketflow._sla_plan import SlaPlan
from ticketflow._ticket import Actor, Ticket, require_role, require_ticket, visible_to
from ticketflow._vocabulary import AGENT, CUSTOMER, RUNNING, Category
from ticketflow._workflow import Workflow

__all__ = [
    "CHANGED_SCOPE",
    "OTHER",
    "RAISE_PRIORITY",
    "SLA_VIOLATION",
    "EscalationPolicy",
    "SupportTiers",
    "Tier",
    "EscalationPlan",
    "blockers",
    "evidence_for",
    "level_change_violations",
    "opening_level_violations",
    "request_violations",
]

SLA_VIOLATION: Final = "sla_violation"
"""Reason: the work violates the SLA, or nobody answered for a long time."""
CHANGED_SCOPE: Final = "changed_scope"
"""Reason: new conditions of the problem, its volume or nature changed."""
OTHER: Final = "other"
"""Reason: other significant circumstances (needs a justification)."""
RAISE_PRIORITY: Final = "raise_priority"
"""Not a reason: escalating only to raise the priority is always refused."""

_REASONS: Final = (SLA_VIOLATION, CHANGED_SCOPE, OTHER)
_EIGHT_HOURS: Final = BusinessTime(timedelta(hours=8))
_FOUR_HOURS: Final = BusinessTime(timedelta(hours=4))
_PRIORITY_RULE: Final = (
    '"The reason for the escalation is NOT: escalation without a clear reason; '
    'escalation to increase request priority."'
)


def _fields(value: str | Iterable[str]) -> tuple[str, ...]:
    found = sequence(value)
    for name in found:
        require_str("a field a tier requires", name)
    return found


def _optional_action(_: object, __: object, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidTypeError("the escalation policy's action", "an action name or None", value)


def _optional_tiers(_: object, __: object, value: SupportTiers | None) -> None:
    if value is not None and not isinstance(value, SupportTiers):
        raise InvalidTypeError("the escalation policy's tiers", "SupportTiers or None", value)


def _fraction(what: str, value: object) -> None:
    if type(value) not in (int, float):
        raise InvalidTypeError(what, "a fraction like 0.75 (a float)", value)


def _duration(what: str, value: object) -> None:
    """A cooldown or quiet period: any well-formed duration kind, zero (none) or positive
    and at most :data:`MAX_DURATION_DAYS` days of its kind, as a definition's durations."""
    if not is_duration(value):
        raise InvalidTypeError(
            what,
            "a duration (timedelta, CalendarDays, BusinessTime of a timedelta or "
            "BusinessDays of an int)",
            value,
        )
    if _is_zero(value):
        return
    problem = check_duration("escalation policy", value, what)
    if problem is not None:
        raise InvalidValueError(
            problem.what,
            f"give a duration of at most {MAX_DURATION_DAYS:,} days (100 years), zero for none",
        )


def _is_zero(duration: Duration) -> bool:
    match duration:
        case timedelta():
            return not duration
        case CalendarDays(days=days) | BusinessDays(days=days):
            return days == 0
        case BusinessTime(duration=span):
            return not span


@final
@attrs.frozen(kw_only=True)
class Tier:
    """A support level and what a ticket must carry to enter it.

    Args:
        level: 1 for L1, 2 for L2, ...
        name: what people call it ("L2 issue confirmation").
        requires_fields: custom fields that must be set (truthy) to enter.
    """

    level: int = attrs.field(validator=lambda _, __, v: require_int("a tier's level", v))
    name: str = attrs.field(validator=lambda _, __, v: require_str("a tier's name", v))
    requires_fields: tuple[str, ...] = attrs.field(default=(), converter=_fields)


def _tiers(value: Iterable[Tier]) -> tuple[Tier, ...]:
    checked: list[Tier] = []
    for tier in sequence_of("SupportTiers levels", "an iterable of Tier", value):
        if not isinstance(tier, Tier):
            raise InvalidTypeError("a support level", "a Tier", tier)
        checked.append(tier)
    return tuple(sorted(checked, key=lambda t: t.level))


def _roles(what: str, value: str | Iterable[str]) -> frozenset[str]:
    found = names(value)
    for role in found:
        require_role(what, role)
    return found


def _override_roles(value: str | Iterable[str]) -> frozenset[str]:
    """The roles that may skip a level (each a valid role name)."""
    return _roles("a role that may skip a level", value)


def _escalating_roles(value: str | Iterable[str]) -> frozenset[str]:
    """The roles that may escalate (each a valid role name)."""
    return _roles("a role that may escalate", value)


@final
@attrs.frozen(kw_only=True)
class SupportTiers:
    """The support levels of a desk and who may skip one or move down.

    >>> tiers = SupportTiers(levels=[Tier(level=1, name="L1"), Tier(level=2, name="L2")])
    >>> [t.name for t in tiers.levels]
    ['L1', 'L2']
    """

    levels: tuple[Tier, ...] = attrs.field(converter=_tiers)
    override_roles: frozenset[str] = attrs.field(default=frozenset(), converter=_override_roles)

    def tier(self, level: int) -> Tier | None:
        """The tier of ``level``, if any."""
        for tier in self.levels:
            if tier.level == level:
                return tier
        return None


@final
@attrs.frozen(kw_only=True)
class EscalationPolicy:
    """How a desk accepts escalations.

    Args:
        action: the workflow action an accepted escalation performs (its target is the
            escalated status); ``None`` for a desk that takes no escalation requests
            and uses the policy for its support tiers alone.
        roles: who may escalate (customers only their own tickets).
        sla_fraction: an SLA reason needs a clock past this fraction of its target...
        quiet_period: ...or the desk's last public answer older than this.
        min_justification: the shortest justification accepted for ``"other"``.
        cooldown: the least time between two escalations by the requester.
        tiers: the support levels, if the desk has tiers.

    ``quiet_period`` and ``cooldown`` are any :data:`~ticketflow.Duration` kind (zero for
    none), each counted its own way on the desk's calendar.

    Raises:
        InvalidTypeError: a field of the wrong type, or a duration kind holding the
            wrong type (``BusinessTime(3)``).
        InvalidValueError: a negative period, or one longer than 36,525 days (100 years).

    >>> EscalationPolicy().action
    'escalate'
    """

    action: str | None = attrs.field(default="escalate", validator=_optional_action)
    roles: frozenset[str] = attrs.field(
        default=frozenset({CUSTOMER, AGENT}), converter=_escalating_roles
    )
    sla_fraction: float = attrs.field(
        default=0.75, validator=lambda _, __, v: _fraction("sla_fraction", v)
    )
    quiet_period: Duration = attrs.field(
        default=_EIGHT_HOURS, validator=lambda _, __, v: _duration("quiet_period", v)
    )
    min_justification: int = attrs.field(
        default=30, validator=lambda _, __, v: require_int("min_justification", v)
    )
    cooldown: Duration = attrs.field(
        default=_FOUR_HOURS, validator=lambda _, __, v: _duration("cooldown", v)
    )
    tiers: SupportTiers | None = attrs.field(default=None, validator=_optional_tiers)


_DEFAULT: Final = EscalationPolicy()


@final
@attrs.frozen
class EscalationPlan:
    """The escalation policy compiled for one desk: the policy (the default one when the
    desk names none) and exactly what its rules read of the desk. The desk builds it
    once (``Desk.escalation_plan``), so these rules never see the whole desk.

    Attributes:
        policy: the desk's escalation policy, or the default policy.
        staff_roles: the desk's staff roles (who may see every ticket).
        workflow: the desk's workflow (the statuses escalation starts from).
        calendar: the desk's calendar (cooldowns and quiet periods).
        sla: the desk's compiled SLA policy (the evidence behind an SLA reason).
    """

    policy: EscalationPolicy
    staff_roles: frozenset[str]
    workflow: Workflow
    calendar: BusinessCalendar
    sla: SlaPlan

    @classmethod
    def of(
        cls,
        policy: EscalationPolicy | None,
        staff_roles: frozenset[str],
        workflow: Workflow,
        calendar: BusinessCalendar,
        sla: SlaPlan,
    ) -> EscalationPlan:
        """The plan of a desk whose escalation policy is ``policy`` (``None``: the default)."""
        return cls(policy or _DEFAULT, staff_roles, workflow, calendar, sla)


def request_violations(
    plan: EscalationPlan, ticket: Ticket, request: Escalate, at: datetime
) -> tuple[Violation, ...]:
    """Every rule ``request`` breaks if it were sent at ``at`` (empty: it is accepted).

    The workflow's own checks (the escalation action allowed from this status, for this
    role) are reported as violations too, so a form can show everything at once. To an
    actor who may not see ``ticket`` the answer is one ``not_found`` violation and
    nothing else, whatever the ticket's state.

    Raises:
        NaiveDatetimeError: ``at`` has no time zone.
        NonexistentInstantError: ``at`` is a wall time inside a DST gap.

    >>> from datetime import datetime, timezone
    >>> from ticketflow import Actor, Escalate, OpenTicket, handle
    >>> from ticketflow import escalation_blockers, validate_escalation
    >>> from ticketflow.presets import support_portal
    >>> desk = support_portal.desk()
    >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> alice = Actor.customer("alice")
    >>> ticket = handle(desk, None, OpenTicket(actor=alice, at=at, ticket_id="T-1",
    ...                                        subject="No dial tone")).ticket
    >>> for v in validate_escalation(desk, ticket, Escalate(actor=alice, at=at,
    ...                                                     reason="other"), at):
    ...     print(v.code)
    justification_too_short
    """
    require_ticket("ticket", ticket)
    require_instant("at", at)
    actor = request.actor
    if not visible_to(actor, ticket, plan.staff_roles):
        return (NOT_FOUND,)
    policy = plan.policy
    return (
        *_standing(plan, ticket, actor, policy),
        *_reason_violations(plan, ticket, request, at, policy),
        *_cooldown(plan, ticket, actor, at, policy),
    )


def blockers(
    plan: EscalationPlan, ticket: Ticket, actor: Actor, at: datetime
) -> tuple[Violation, ...]:
    """The rules an escalation by ``actor`` at ``at`` breaks whatever its reason says.

    These are the violations of :func:`validate_escalation` that no reason or details
    can lift: who the actor is (``not_found``, ``not_allowed``), the ticket's status
    (``no_escalation``, ``closed``, ``already_escalated``, ``wrong_status``) and the
    requester's ``cooldown``. Empty: some request may be accepted, so a form can offer
    the escalation; it costs no SLA arithmetic.

    Raises:
        NaiveDatetimeError: ``at`` has no time zone.
        NonexistentInstantError: ``at`` is a wall time inside a DST gap.

    >>> from datetime import datetime, timedelta, timezone
    >>> from ticketflow import Actor, Escalate, OpenTicket, handle
    >>> from ticketflow import escalation_blockers, validate_escalation
    >>> from ticketflow.presets import support_portal
    >>> desk = support_portal.desk()
    >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> alice = Actor.customer("alice")
    >>> ticket = handle(desk, None, OpenTicket(actor=alice, at=at, ticket_id="T-1",
    ...                                        subject="No dial tone")).ticket
    >>> escalation_blockers(desk, ticket, alice, at)
    ()
    >>> escalated = handle(desk, ticket, Escalate(actor=alice, at=at, reason="changed_scope",
    ...                                           details="now the whole floor")).ticket
    >>> [v.code for v in escalation_blockers(desk, escalated, alice, at + timedelta(hours=1))]
    ['already_escalated', 'cooldown']
    """
    require_ticket("ticket", ticket)
    require_instant("at", at)
    if not visible_to(actor, ticket, plan.staff_roles):
        return (NOT_FOUND,)
    policy = plan.policy
    return (*_standing(plan, ticket, actor, policy), *_cooldown(plan, ticket, actor, at, policy))


def _standing(
    plan: EscalationPlan, ticket: Ticket, actor: Actor, policy: EscalationPolicy
) -> list[Violation]:
    """The violations of who escalates and from which status (an actor who may see it)."""
    out: list[Violation] = []
    add = out.append
    if actor.role not in policy.roles:
        add(Violation("not_allowed", f"the role {quoted(actor.role)} may not escalate requests"))
    workflow = plan.workflow
    status = workflow.status(ticket.status) if workflow.has_status(ticket.status) else None
    if policy.action is None:
        add(
            Violation(
                "no_escalation",
                "this desk takes no escalation requests; the desk moves requests between "
                "its support levels itself",
            )
        )
    elif status is not None and status.terminal:
        add(Violation("closed", "the request is closed; create a new request instead"))
    elif status is not None:
        targets = {t.target for t in workflow.transitions if t.action == policy.action}
        routes = workflow.routes_from(status.name, policy.action)
        if status.name in targets:
            add(Violation("already_escalated", "the request is already escalated"))
        elif not routes:
            add(
                Violation(
                    "wrong_status", f"a request in {quoted(status.label)} cannot be escalated"
                )
            )
        elif actor.role in policy.roles and not any(actor.role in r.roles for r in routes):
            add(
                Violation(
                    "not_allowed", f"the role {quoted(actor.role)} may not escalate from here"
                )
            )
    return out


def _reason_violations(
    plan: EscalationPlan, ticket: Ticket, request: Escalate, at: datetime, policy: EscalationPolicy
) -> list[Violation]:
    """The violations of the request's reason and details."""
    reason = request.reason.strip()
    details = request.details.strip()
    if not reason:
        return [
            Violation(
                "no_reason",
                "say why you escalate: the SLA is violated or nobody answered for a long "
                "time, the problem changed, or other significant circumstances",
            )
        ]
    if reason == RAISE_PRIORITY:
        return [
            Violation(
                "priority_only",
                f"escalating only to raise the priority is not accepted: {_PRIORITY_RULE}",
            )
        ]
    if reason not in _REASONS:
        return [
            Violation(
                "unknown_reason",
                f"unknown reason {quoted(reason)}: use one of {', '.join(_REASONS)}",
            )
        ]
    if reason == SLA_VIOLATION:
        missing = _sla_evidence(plan, ticket, at)
        return [] if missing is None else [Violation("sla_not_violated", missing)]
    if reason == CHANGED_SCOPE and not details:
        return [Violation("description_missing", "describe what changed in the problem")]
    if reason == OTHER and len(details) < policy.min_justification:
        return [
            Violation(
                "justification_too_short",
                f"explain the circumstances in at least {policy.min_justification} characters",
            )
        ]
    return []


def _cooldown(
    plan: EscalationPlan, ticket: Ticket, actor: Actor, at: datetime, policy: EscalationPolicy
) -> list[Violation]:
    """The requester's cooldown after their last escalation, if it has not ended."""
    if actor.role != CUSTOMER or ticket.escalated_at is None:
        return []
    again = _later(plan, ticket.escalated_at, policy.cooldown)
    if again is not None and utc(at) >= utc(again):
        return []
    when = "never again" if again is None else f"again from {again.isoformat()}"
    return [
        Violation(
            "cooldown",
            f"you escalated this request at {ticket.escalated_at.isoformat()}; you can "
            f"escalate {when}",
        )
    ]


NOT_FOUND: Final = Violation(
    "not_found",
    "the request was not found or you are not permitted to see it; a customer acts only "
    "on the requests they made",
)
"""The one answer to an actor who may not see the ticket, whatever its state."""


def _later(plan: EscalationPlan, start: datetime, duration: Duration) -> datetime | None:
    """``duration`` after ``start`` on the desk's calendar; ``None`` (never) when that is
    after the last instant the calendar can compute (the year 9999)."""
    try:
        return shift(plan.calendar, start, duration)
    except OverflowError:  # CalendarRangeError is an OverflowError
        return None


def evidence_for(plan: EscalationPlan, ticket: Ticket, at: datetime) -> str | None:
    """What backs an SLA reason at ``at`` ("resolution: 92% of the target used"), or None.

    It answers the desk, not an actor: it is recorded in the escalation event once
    :func:`validate_escalation` accepted the request (so the actor may see the ticket).
    """
    return _evidence(plan, ticket, at)[0]


def _silent_since(ticket: Ticket) -> datetime | None:
    """Since when the desk owes the requester an answer, or ``None`` if it does not.

    The desk's silence starts at its last public reply (or the opening), but time the
    desk spent waiting on the requester is not its silence: when the requester's own
    reply brought the ticket back to work, the silence starts there.
    """
    start = ticket.last_agent_reply_at or ticket.created_at
    activity = ticket.last_customer_activity_at
    if activity is not None:
        activity_utc = utc(activity)
        if activity_utc == utc(ticket.status_since) and activity_utc > utc(start):
            start = activity
    return start


def _evidence(
    plan: EscalationPlan, ticket: Ticket, at: datetime
) -> tuple[str | None, datetime | None]:
    """The evidence for an SLA reason at ``at``, else the earliest instant there will be."""
    policy = plan.policy
    earliest: datetime | None = None

    def sooner(instant: datetime | None) -> None:
        nonlocal earliest
        if instant is not None and (earliest is None or utc(instant) < utc(earliest)):
            earliest = instant

    for clock in ticket.clocks:
        if clock.breached_at is not None:
            return f"{clock.metric}: breached at {clock.breached_at.isoformat()}", None
        if clock.target is None or clock.state != RUNNING or clock.running_since is None:
            continue
        metric = plan.sla.metric(clock.metric)
        if metric is None:
            continue
        calendar = metric.calendar(clock.business)
        threshold = clock.target * policy.sla_fraction
        elapsed = clock.elapsed + calendar.between(clock.running_since, at)
        if elapsed >= threshold:
            return f"{clock.metric}: {elapsed / clock.target:.0%} of the target used", None
        with contextlib.suppress(OverflowError):  # reached after the year 9999: never
            sooner(calendar.add(at, threshold - elapsed))
    silent = _silent_since(ticket)
    if silent is not None and plan.workflow.category(ticket.status) != Category.WAITING_ON_CUSTOMER:
        quiet_until = _later(plan, silent, policy.quiet_period)
        if quiet_until is not None and utc(quiet_until) <= utc(at):
            return f"no answer since {silent.isoformat()}", None
        sooner(quiet_until)
    return None, earliest


def _sla_evidence(plan: EscalationPlan, ticket: Ticket, at: datetime) -> str | None:
    """Why an SLA reason is not backed yet (``None`` when it is)."""
    evidence, earliest = _evidence(plan, ticket, at)
    if evidence is not None:
        return None
    when = (
        f"you can escalate for this reason from {earliest.isoformat()}"
        if earliest is not None
        else "the desk is waiting on you, so there is no delay to escalate"
    )
    return f"the SLA of this request is not violated and the desk answered recently; {when}"


def level_change_violations(
    plan: EscalationPlan, ticket: Ticket, command: ChangeSupportLevel
) -> tuple[Violation, ...]:
    """Every rule a change of support level breaks (empty: it is accepted).

    To an actor who may not see ``ticket`` the answer is one ``not_found`` violation,
    whatever the ticket's state.
    """
    require_ticket("ticket", ticket)
    actor = command.actor
    if not visible_to(actor, ticket, plan.staff_roles):
        return (NOT_FOUND,)
    tiers = plan.policy.tiers
    if tiers is None:
        return (Violation("no_tiers", "this desk has no support levels"),)
    out: list[Violation] = []
    target = tiers.tier(command.level)
    if actor.role == CUSTOMER:
        out.append(_STAFF_ONLY)
    if target is None:
        out.append(_unknown_level(tiers, command.level))
        return tuple(out)
    if command.level == ticket.support_level:
        out.append(
            Violation("same_level", f"the request is already at level {quoted(command.level)}")
        )
    jump = command.level - ticket.support_level
    if (jump > 1 or jump < 0) and actor.role not in tiers.override_roles:
        out.append(_override_needed(tiers, "skip a level" if jump > 1 else "move a request down"))
    if jump > 0:
        for name in target.requires_fields:
            if not ticket.fields.get(name):
                out.append(
                    Violation(
                        "entry_condition",
                        f"{quoted(target.name)} needs the field {quoted(name)} set first",
                    )
                )
    if not command.reason.strip() and (jump > 1 or jump < 0):
        out.append(Violation("no_reason", "say why the level is skipped or lowered"))
    return tuple(out)


def opening_level_violations(
    plan: EscalationPlan, actor: Actor, level: int
) -> tuple[Violation, ...]:
    """Every rule opening a ticket at support ``level`` breaks (empty: it is accepted).

    The desk's staff may route a new ticket above level 1. On a tiered desk that skips
    the levels below, their entry conditions with them, so it takes the right to skip
    a level, and a level the desk has; without tiers any level from 1 up is accepted.
    """
    out: list[Violation] = []
    if actor.role == CUSTOMER:
        out.append(_STAFF_ONLY)
    tiers = plan.policy.tiers
    if tiers is None:
        if level < 1:
            out.append(Violation("unknown_level", f"unknown level {quoted(level)}: use 1 or more"))
    elif tiers.tier(level) is None:
        out.append(_unknown_level(tiers, level))
    elif level > 1 and actor.role not in tiers.override_roles:
        out.append(_override_needed(tiers, "skip a level"))
    return tuple(out)


_STAFF_ONLY: Final = Violation("not_allowed", "support levels are changed by the desk's staff")


def _unknown_level(tiers: SupportTiers, level: int) -> Violation:
    levels = ", ".join(quoted(t.level) for t in tiers.levels)
    return Violation("unknown_level", f"unknown level {quoted(level)}: use one of {levels}")


def _override_needed(tiers: SupportTiers, kind: str) -> Violation:
    allowed = quoted_names(sorted(tiers.override_roles)) or "nobody"
    return Violation("override_needed", f"only {allowed} may {kind}")
