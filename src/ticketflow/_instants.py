"""Checks shared by everything that takes an instant: no naive datetimes, ever."""

from __future__ import annotations

from datetime import datetime

from ticketflow._errors import NaiveDatetimeError

__all__ = ["require_aware"]


def require_aware(what: str, value: datetime) -> datetime:
    """Return ``value`` if it is an aware datetime, else raise :class:`NaiveDatetimeError`.

    >>> from datetime import datetime, timezone
    >>> require_aware("at", datetime(2026, 1, 5, 9, tzinfo=timezone.utc)).hour
    9
    >>> require_aware("at", datetime(2026, 1, 5, 9))
    Traceback (most recent call last):
    ...
    ticketflow._errors.NaiveDatetimeError: at is a naive datetime (2026-01-05T09:00:00); ...
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(what, value)
    return value
