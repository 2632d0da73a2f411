"""The shared type checks (``_checks.py``): one encoding of each rule, a typed error that
names the field for every wrong type."""

from __future__ import annotations

import pytest

from ticketflow import InvalidTypeError, InvalidValueError
from ticketflow._checks import (
    LARGEST_INT,
    items_of,
    names,
    require_int,
    require_str,
    sequence,
    sequence_of,
)


class TestScalars:
    def test_a_string_passes_through(self) -> None:
        """``require_str`` returns a string as it was given."""
        assert "agent" == require_str("a role", "agent")

    def test_a_missing_string_is_refused_naming_the_field(self) -> None:
        """``require_str`` of None names the field and says to give a string."""
        with pytest.raises(InvalidTypeError) as raised:
            require_str("a reply's body", None)

        assert "a reply's body must be a string, got NoneType None; give a string" == str(
            raised.value
        )

    def test_a_boolean_is_not_an_integer(self) -> None:
        """``require_int`` refuses True: a support level or a count is never a flag."""
        with pytest.raises(InvalidTypeError, match="level must be an integer, got bool True"):
            require_int("level", True)

    @pytest.mark.parametrize("value", [LARGEST_INT, -LARGEST_INT])
    def test_the_largest_integers_a_database_holds_are_accepted(self, value: int) -> None:
        """An integer within 64 bits is returned as it was given."""
        assert value == require_int("count", value)

    def test_an_integer_beyond_64_bits_is_refused_saying_the_range(self) -> None:
        """``require_int`` of 2**63 says how many bits it has and which range to keep to."""
        with pytest.raises(InvalidValueError) as raised:
            require_int("count", 2**63)

        assert "count is an integer of 64 bits; give an integer between" in str(raised.value)


class TestCollections:
    def test_a_lone_name_is_one_name(self) -> None:
        """``names("agent")`` is the one name, not a set of letters."""
        assert (frozenset({"agent"}), ("agent",)) == (names("agent"), sequence("agent"))

    def test_an_iterable_of_names_keeps_its_order_as_a_sequence(self) -> None:
        """``sequence`` keeps the order given; ``names`` makes a set."""
        assert (("b", "a"), frozenset({"a", "b"})) == (sequence(["b", "a"]), names(["b", "a"]))

    def test_a_string_is_not_a_sequence_of_items(self) -> None:
        """``sequence_of`` refuses a string where an iterable of items belongs."""
        with pytest.raises(InvalidTypeError, match="reminders must be an iterable of durations"):
            sequence_of("reminders", "an iterable of durations", "1d")

    def test_an_item_of_the_wrong_kind_is_refused_naming_it(self) -> None:
        """``items_of`` refuses the first item of the wrong class, quoting it."""
        with pytest.raises(InvalidTypeError) as raised:
            items_of("rules", int, [1, "2"])

        assert str(raised.value).startswith("an item of rules must be an int, got str '2'")
