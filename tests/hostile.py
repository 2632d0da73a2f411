"""Hostile documents shared by the tests of the readers that must refuse them."""

from __future__ import annotations

from replaying import without_cyclic_gc


def nested(depth: int, key: str | None = None) -> object:
    """A table (``{key: ...}``) or, without a key, a list, nested ``depth`` levels deep
    around an empty one.

    Built with the cyclic collector paused: a million new containers would otherwise set
    off collections that walk everything the test session holds, for most of the test's
    time.
    """

    def build() -> object:
        deep: object = {} if key is not None else []
        for _ in range(depth):
            deep = {key: deep} if key is not None else [deep]
        return deep

    return without_cyclic_gc(build)
