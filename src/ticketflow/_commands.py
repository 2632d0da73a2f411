"""Commands: what somebody asks the desk to do.

Commands are plain frozen values in the imperative mood. They hold no rules: whether a
command is accepted is decided by :func:`ticketflow.decide`, which either returns the
events it causes or raises a :class:`ticketflow.CommandRefusedError`.

A command checks the *types* of its fields when it is built, so a host that copies a
form into a command finds out at once, with a typed error, that ``body=None`` or
``at="2026-03-02"`` is not a command: instants must be aware datetimes naming a real
instant (not a wall time inside a DST gap), strings strings, flags booleans, custom
field values JSON scalars (:func:`ticketflow._ticket.field_value`).
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from datetime import datetime
from typing import Final, TypeAlias, final, get_args

import attrs

from ticketflow._checks import (
    Check,
    FieldChecks,
    check_fields,
    field_checks,
    is_a,
    require_int,
    storable_text,
    unchecked,
)
from ticketflow._instants import require_instant
from ticketflow._ticket import (
    EMPTY_FIELDS,
    Actor,
    FieldValue,
    FrozenMap,
    field_value,
    to_frozen_map,
)

__all__ = [
    "Assign",
    "AttachFile",
    "ChangePriority",
    "ChangeSupportLevel",
    "CheckSlaClock",
    "Command",
    "Escalate",
    "MuteNotifications",
    "OpenTicket",
    "PerformAction",
    "Reply",
    "SendReminder",
    "SetField",
    "UnmuteNotifications",
]


@attrs.frozen(kw_only=True)
class _CommandBase:
    """Who asks, and when (an aware instant; the host's clock, never ours)."""

    actor: Actor
    at: datetime

    def __attrs_post_init__(self) -> None:
        check_fields(self, _CHECKS[type(self)])


@final
@attrs.frozen(kw_only=True)
class OpenTicket(_CommandBase):
    """Open a new ticket.

    ``requester`` defaults to the actor (a customer opening their own ticket); desk
    staff opening a ticket on someone's behalf name the requester. ``priority``
    defaults to the workflow's default priority. ``notifications_muted`` opens it
    already muted (a ticket linked to one its requester muted). ``support_level`` opens
    it at a support level above the first (staff routing a ticket straight to L2; one of
    the desk's tiers, if it has tiers).
    """

    ticket_id: str
    subject: str
    description: str = ""
    requester: str | None = None
    priority: str | None = None
    assignee: str | None = None
    group: str | None = None
    parent_id: str | None = None
    fields: FrozenMap = attrs.field(default=EMPTY_FIELDS, converter=to_frozen_map)
    notifications_muted: bool = False
    support_level: int = 1


@final
@attrs.frozen(kw_only=True)
class PerformAction(_CommandBase):
    """Perform a named transition of the workflow (``escalate``, ``resolve``, ...).

    ``reason`` is free text; transitions that require a reason refuse an empty one.
    ``until`` is required when the action enters a scheduled status (one with a
    ``wake_action``): the instant the ticket wakes up. ``rule`` is set by
    :func:`ticketflow.tick` to name the time-driven rule that performs the action;
    hosts leave it empty.
    """

    action: str
    reason: str = ""
    until: datetime | None = None
    rule: str = ""


@final
@attrs.frozen(kw_only=True)
class SendReminder(_CommandBase):
    """Remind the requester that ``action`` happens at ``due`` (issued by a timer's rule)."""

    rule: str
    action: str
    due: datetime


@final
@attrs.frozen(kw_only=True)
class Reply(_CommandBase):
    """Add a reply to the conversation.

    ``public=False`` is an internal note (desk staff only). A customer's reply may carry
    ``approves_resolution=True``, the explicit "please close it" of the seed portal: the
    reply then also performs the workflow's approval action. The flag is never guessed
    from the text.
    """

    body: str
    public: bool = True
    approves_resolution: bool = False


@final
@attrs.frozen(kw_only=True)
class AttachFile(_CommandBase):
    """Attach a file the host has stored to the ticket (the bytes stay the host's).

    ``name`` is the file's name as shown, ``size`` its size in bytes, ``media_type``
    its ``type/subtype`` (``"image/png"``) and ``reference`` the host's reference to
    the stored bytes (a storage key, a URL). The requester attaches to their own
    ticket, the desk's staff to any ticket they may answer.
    """

    name: str
    size: int
    media_type: str
    reference: str


@final
@attrs.frozen(kw_only=True)
class Assign(_CommandBase):
    """Assign the ticket to an agent (``None`` unassigns) and optionally to a group.

    ``group=None`` keeps the current group.
    """

    assignee: str | None
    group: str | None = None


@final
@attrs.frozen(kw_only=True)
class ChangePriority(_CommandBase):
    """Change the ticket's priority to one of the workflow's priorities."""

    priority: str
    reason: str = ""


@final
@attrs.frozen(kw_only=True)
class MuteNotifications(_CommandBase):
    """The requester's "Don't notify me": no more notifications from this ticket."""


@final
@attrs.frozen(kw_only=True)
class UnmuteNotifications(_CommandBase):
    """Turn the requester's notifications for this ticket back on."""


@final
@attrs.frozen(kw_only=True)
class SetField(_CommandBase):
    """Set a custom field (``value=None`` removes it)."""

    name: str
    value: FieldValue = attrs.field(
        validator=lambda command, _, value: field_value(command.name, value, removable=True)
    )


@final
@attrs.frozen(kw_only=True)
class Escalate(_CommandBase):
    """Draw the desk's attention to a ticket, for a reason the escalation policy checks.

    ``reason`` is one of the policy's reason codes (``"sla_violation"``,
    ``"changed_scope"``, ``"other"``; ``"raise_priority"`` and an empty reason are
    always refused); ``details`` says what changed or why it matters.
    """

    reason: str
    details: str = ""


@final
@attrs.frozen(kw_only=True)
class ChangeSupportLevel(_CommandBase):
    """Move the ticket to support level ``level`` (1 for L1, 2 for L2, ...)."""

    level: int
    reason: str = ""


@final
@attrs.frozen(kw_only=True)
class CheckSlaClock(_CommandBase):
    """Record what fell due on ``metric``'s clock: a warning or the breach (timers only)."""

    metric: str


Command: TypeAlias = (
    OpenTicket
    | PerformAction
    | Reply
    | AttachFile
    | Assign
    | ChangePriority
    | MuteNotifications
    | UnmuteNotifications
    | SetField
    | SendReminder
    | CheckSlaClock
    | Escalate
    | ChangeSupportLevel
)
"""Every command :func:`ticketflow.decide` understands."""


# -- the type checks every command runs when it is built --------------------------------


def _instant(what: str, value: object) -> None:
    require_instant(what, value)


def _integer(what: str, value: object) -> None:
    require_int(what, value)


_BY_TYPE: Final[Mapping[object, Check]] = {
    Actor: is_a(Actor, "an Actor"),
    datetime: _instant,
    str: storable_text,
    bool: is_a(bool, "a boolean (True or False)"),
    int: _integer,
    FrozenMap: unchecked,  # its converter checks it
    FieldValue: unchecked,  # SetField's own validator checks it
}

_CHECKS: Final[Mapping[type, FieldChecks]] = types.MappingProxyType(
    {cls: field_checks(cls, _BY_TYPE, globals()) for cls in get_args(Command)}
)
