"""Tests for ``ticketflow._vocabulary``: the shared names, as the docs spell them."""

from __future__ import annotations

import types

import pytest

import ticketflow
from ticketflow import _vocabulary
from ticketflow._vocabulary import (
    AGENT_REPLY,
    CUSTOMER_REPLY,
    REACTION_TRIGGERS,
    SINCE_CUSTOMER_ACTIVITY,
    SINCE_ENTERED,
    SINCE_LAST_UPDATE,
    TIMER_SINCES,
    Category,
)


class TestCategory:
    def test_the_categories_are_the_seven_the_docs_name(self) -> None:
        """The categories are the seven docs/workflows.md lists, in that order."""
        expected = [
            "new",
            "active",
            "waiting_on_customer",
            "on_hold",
            "resolved",
            "closed",
            "canceled",
        ]

        assert expected == [c.value for c in Category]

    def test_a_category_is_its_plain_string(self) -> None:
        """A category compares equal to, and formats as, its plain string."""
        assert ("on_hold", "on_hold") == (Category.ON_HOLD, f"{Category.ON_HOLD}")


class TestTriggers:
    def test_the_reply_triggers_are_the_strings_the_docs_use(self) -> None:
        """The reaction triggers are the strings documents and docs/sla.md write."""
        assert ("customer_reply", "agent_reply") == (CUSTOMER_REPLY, AGENT_REPLY)

    def test_every_reaction_trigger_is_listed_once(self) -> None:
        """The list of reaction triggers holds each trigger once, the customer's first."""
        assert (CUSTOMER_REPLY, AGENT_REPLY) == REACTION_TRIGGERS


class TestTimerSinces:
    def test_the_timer_starts_are_the_strings_documents_use(self) -> None:
        """A timer runs from 'entered' or from 'customer_activity', as documents write."""
        assert ("entered", "customer_activity") == (SINCE_ENTERED, SINCE_CUSTOMER_ACTIVITY)

    def test_every_timer_start_is_listed_once(self) -> None:
        """The list of timer starts holds each start once, 'entered' first."""
        assert (SINCE_ENTERED, SINCE_CUSTOMER_ACTIVITY, SINCE_LAST_UPDATE) == TIMER_SINCES


class TestOneDefinition:
    def test_the_public_names_are_the_vocabulary_objects(self) -> None:
        """The names ticketflow exports are the vocabulary's own objects, not copies."""
        for name in ("Category", "CUSTOMER_REPLY", "AGENT_REPLY", "SINCE_ENTERED"):
            assert getattr(_vocabulary, name) is getattr(ticketflow, name)

    def test_the_module_lists_every_name_it_defines(self) -> None:
        """The vocabulary's ``__all__`` names exactly its public names."""
        defined = {
            name
            for name, value in vars(_vocabulary).items()
            if name.isupper()
            or (
                isinstance(value, type | types.FunctionType)
                and value.__module__ == _vocabulary.__name__
                and not name.startswith("_")
            )
        }

        assert defined == set(_vocabulary.__all__)


class TestRenamedSignals:
    @pytest.mark.parametrize(
        ("old", "new"), [("AGENT_REPLIED", "AGENT_REPLY"), ("CUSTOMER_REPLIED", "CUSTOMER_REPLY")]
    )
    def test_the_old_name_of_a_reply_signal_warns_and_gives_the_same_value(
        self, old: str, new: str
    ) -> None:
        """A reply's SLA signal had a second name; the old one still works, with a
        DeprecationWarning naming the one to use."""
        with pytest.warns(DeprecationWarning, match=f"use ticketflow.{new}"):
            value = getattr(ticketflow, old)

        assert getattr(ticketflow, new) == value

    def test_an_unknown_name_is_still_an_attribute_error(self) -> None:
        """Only the renamed names are looked up; any other missing name raises as usual."""
        with pytest.raises(AttributeError, match="no attribute 'AGENT_REPLIES'"):
            _ = ticketflow.AGENT_REPLIES
