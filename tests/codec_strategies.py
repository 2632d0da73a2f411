"""Hypothesis strategies for the codec's value types: every duration kind, the policy
values and desks, and the attached files (the command, the event and a ticket listing
them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta
from functools import cache
from typing import Final, TypeVar, cast

import attrs
from hypothesis import strategies as st

from ticketflow import (
    AttachFile,
    Attachment,
    AutoClose,
    AutoClosePolicy,
    BusinessCalendar,
    BusinessDays,
    BusinessTime,
    CalendarDays,
    Desk,
    Duration,
    EscalationPolicy,
    FileAttached,
    Intake,
    Metric,
    NotificationPolicy,
    NotificationRule,
    SlaPolicy,
    SupportTiers,
    Ticket,
    TicketflowError,
    Tier,
)
from ticketflow._vocabulary import TIMER_SINCES
from ticketflow.presets import (
    case_portal,
    escalation_process,
    hosting_portal,
    italian_helpdesk,
    servicenow,
    support_portal,
    volvo_it,
)
from ticketflow.testing import actors, business_calendars, instants

V = TypeVar("V")

NAMES: Final = st.text("abcdefghij_", min_size=1, max_size=8)
SIGNALS: Final = ("opened", "agent_reply", "customer_follow_up", "reopened", "entered:open")
CATEGORIES: Final = ("new", "active", "waiting_on_customer", "on_hold", "resolved")
PRESETS: Final = (
    case_portal,
    escalation_process,
    hosting_portal,
    italian_helpdesk,
    servicenow,
    support_portal,
    volvo_it,
)

spans: Final = st.integers(0, 10**6).map(lambda seconds: timedelta(seconds=seconds)) | st.integers(
    0, 10**12
).map(lambda micros: timedelta(microseconds=micros))
"""Real-time spans, to the microsecond, up to a few days."""


def durations() -> st.SearchStrategy[Duration]:
    """Every duration kind: a timedelta, CalendarDays, BusinessTime and BusinessDays."""
    return st.one_of(
        spans,
        st.builds(CalendarDays, st.integers(0, 400)),
        st.builds(BusinessTime, spans),
        st.builds(BusinessDays, st.integers(0, 400)),
    )


def _built(build: Callable[..., V], **parts: st.SearchStrategy[object]) -> st.SearchStrategy[V]:
    """Values ``build`` accepts from the drawn parts (those its checks refuse are skipped)."""

    def attempt(kwargs: dict[str, object]) -> V | None:
        try:
            return build(**kwargs)
        except TicketflowError:
            return None

    drawn = st.fixed_dictionaries(parts).map(attempt)
    return drawn.filter(lambda value: value is not None)  # type: ignore[return-value]


def auto_closes() -> st.SearchStrategy[AutoClose]:
    return _built(
        AutoClose,
        when=st.sampled_from(CATEGORIES),
        after=durations(),
        action=st.sampled_from(["close", "cancel"]),
        since=st.sampled_from(TIMER_SINCES),
        reminders=st.lists(durations(), max_size=2),
    )


def calendars() -> st.SearchStrategy[BusinessCalendar]:
    return business_calendars(max_holidays=1, max_closures=1, max_extra_workdays=1, max_windows=3)


def metrics() -> st.SearchStrategy[Metric]:
    targets = spans | st.builds(BusinessTime, spans)
    return _built(
        Metric,
        name=NAMES,
        targets=st.dictionaries(st.sampled_from(["low", "normal", "high"]), targets, min_size=1),
        starts_on=st.frozensets(st.sampled_from(SIGNALS), min_size=1),
        stops_on=st.frozensets(st.sampled_from(SIGNALS), min_size=1),
        pauses_in=st.frozensets(st.sampled_from(CATEGORIES)),
        restarts_on=st.frozensets(st.sampled_from(SIGNALS)),
        on_restart=st.sampled_from(["resume", "new_cycle"]),
        calendar=st.none() | calendars(),
        warnings=st.lists(st.floats(0.05, 0.95), max_size=3, unique=True),
    )


def tiers() -> st.SearchStrategy[Tier]:
    return _built(
        Tier, level=st.integers(1, 4), name=NAMES, requires_fields=st.lists(NAMES, max_size=2)
    )


def support_tiers() -> st.SearchStrategy[SupportTiers]:
    return _built(
        SupportTiers,
        levels=st.lists(tiers(), min_size=1, max_size=3),
        override_roles=st.frozensets(st.sampled_from(["agent", "lead"])),
    )


def escalation_policies() -> st.SearchStrategy[EscalationPolicy]:
    return _built(
        EscalationPolicy,
        action=st.none() | st.just("escalate"),
        roles=st.frozensets(st.sampled_from(["customer", "agent"]), min_size=1),
        sla_fraction=st.floats(0.05, 0.95),
        quiet_period=durations(),
        min_justification=st.integers(0, 100),
        cooldown=durations(),
        tiers=st.none() | support_tiers(),
    )


def notification_rules() -> st.SearchStrategy[NotificationRule]:
    return _built(
        NotificationRule,
        on=st.sampled_from(["ReplyAdded", "StatusChanged", "TicketOpened"]),
        recipients=st.lists(st.sampled_from(["requester", "assignee", "group"]), min_size=1),
        message=NAMES,
        statuses=st.frozensets(NAMES, max_size=2),
    )


def intakes() -> st.SearchStrategy[Intake]:
    return _built(
        Intake,
        fields=st.frozensets(NAMES, max_size=3),
        priorities=st.frozensets(NAMES, max_size=3),
        groups=st.frozensets(NAMES, max_size=3),
    )


@cache
def preset_desks() -> tuple[Desk, ...]:
    return tuple(preset.desk() for preset in PRESETS)


def desks() -> st.SearchStrategy[Desk]:
    """Every preset's desk, some with their auto-close rules or escalation changed."""

    def changed(desk: Desk, rules: list[AutoClose], escalation: EscalationPolicy) -> Desk | None:
        try:
            return attrs.evolve(desk, auto_close=AutoClosePolicy(rules), escalation=escalation)
        except TicketflowError:
            return None

    varied = st.builds(
        changed,
        st.sampled_from(preset_desks()),
        st.lists(auto_closes(), max_size=2),
        escalation_policies(),
    ).filter(lambda desk: desk is not None)
    return st.one_of(st.sampled_from(preset_desks()), cast(st.SearchStrategy[Desk], varied))


# Any text a host may copy from an upload form, the awkward characters included.
FILE_TEXTS: Final = st.text(max_size=40) | st.sampled_from(["a.png", "../x", "x" * 300, ""])
MEDIA_TYPES: Final = st.sampled_from(["image/png", "application/pdf", "text/plain", "png", ""])
SIZES: Final = st.integers(-(2**63) + 1, 2**63 - 1)


def attach_files() -> st.SearchStrategy[AttachFile]:
    """AttachFile commands of any well-typed values (valid or not for the desk)."""
    return st.builds(
        AttachFile,
        actor=actors(),
        at=instants(),
        name=FILE_TEXTS,
        size=SIZES,
        media_type=MEDIA_TYPES | st.text(max_size=20),
        reference=FILE_TEXTS,
    )


def files_attached() -> st.SearchStrategy[FileAttached]:
    """FileAttached events of any well-typed values."""
    return st.builds(
        FileAttached,
        ticket_id=st.sampled_from(["T-1", "C-00001042"]),
        at=instants(),
        actor=actors(),
        version=st.integers(1, 10**6),
        name=FILE_TEXTS,
        size=SIZES,
        media_type=MEDIA_TYPES,
        reference=FILE_TEXTS,
    )


def attachments() -> st.SearchStrategy[Attachment]:
    return st.builds(
        Attachment,
        name=FILE_TEXTS,
        size=SIZES,
        media_type=MEDIA_TYPES,
        reference=FILE_TEXTS,
        at=instants(),
        by=st.sampled_from(["alice", "carol"]),
    )


def tickets_with_files() -> st.SearchStrategy[Ticket]:
    """Tickets listing up to three attached files (all instants at the ticket's opening
    or later, as a snapshot has them)."""

    def ticket(files: list[Attachment]) -> Ticket:
        at = min(files, key=lambda f: f.at.astimezone(UTC)).at
        return Ticket(
            id="T-1",
            subject="500 error on checkout",
            status="new",
            priority="normal",
            requester="alice",
            created_at=at,
            updated_at=at,
            status_since=at,
            version=1 + len(files),
            attachments=files,
        )

    return st.lists(attachments(), min_size=1, max_size=3).map(ticket)


def codec_values() -> st.SearchStrategy[object]:
    """Every value type the codec writes beyond the tickets and events of a lifecycle:
    the policies, the desks, and the attached files."""
    return st.one_of(
        attach_files(),
        files_attached(),
        tickets_with_files(),
        durations().filter(lambda d: not isinstance(d, timedelta)),  # a timedelta is no document
        durations().map(lambda d: AutoClose(when="resolved", after=d)),  # every kind in a union
        auto_closes(),
        st.lists(auto_closes(), max_size=3).map(AutoClosePolicy),
        metrics(),
        _built(
            SlaPolicy, metrics=st.lists(metrics(), max_size=2), calendar=st.none() | calendars()
        ),
        tiers(),
        support_tiers(),
        escalation_policies(),
        notification_rules(),
        st.lists(notification_rules(), max_size=3).map(NotificationPolicy),
        intakes(),
        desks(),
    )
