"""Shared test configuration: Hypothesis profiles, and assertion rewriting in the helpers.

The default profile is what CI and the README's test command run: derandomized, so a
run on a clean clone tests the same examples every time. ``HYPOTHESIS_PROFILE=thorough``
explores: many more examples, drawn at random.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# The helper modules' own asserts report their values, as a test module's do.
pytest.register_assert_rewrite("scenarios", "sla_scenarios")

settings.register_profile(
    "default",
    deadline=None,
    max_examples=100,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    deadline=None,
    max_examples=2_000,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
