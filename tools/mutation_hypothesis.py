"""A pytest plugin for mutation runs (``tools/mutation.sh``): fewer Hypothesis examples.

A mutation run executes the covering tests once per mutant, so the suite's property
tests dominate its time. This plugin loads a ``mutation`` profile, the suite's default
profile with ``MUTATION_MAX_EXAMPLES`` examples (10 unless set) and no shrinking, after
``tests/conftest.py`` has loaded its own, and stops Hypothesis from refusing a test
method that runs in a second pytest session of the same process. A mutant that
survives here may still be killed by the full profile: the score it gives is a lower
bound of the suite's. The cap holds for a test that asks for more examples in its own
``@settings`` too (a profile cannot lower an explicit setting, so the plugin lowers it on
the collected test), or those tests alone would take most of a survivor's time.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, settings


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Load the ``mutation`` profile once the conftest has loaded the default one."""
    examples = int(os.environ.get("MUTATION_MAX_EXAMPLES", "10"))
    settings.register_profile(
        "mutation",
        settings.get_profile("default"),
        max_examples=examples,
        # A failure kills the mutant: shrinking it to a minimal example is wasted time.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        # mutmut runs a test class's tests in several pytest sessions of one process.
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
    )
    settings.load_profile("mutation")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Cap the examples of each Hypothesis test whose own settings ask for more."""
    profile = settings.get_profile("mutation")
    for item in items:
        test = getattr(item, "obj", None)
        test = getattr(test, "__func__", test)
        # Where @given keeps the settings it runs with (read on every call).
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if isinstance(own, settings) and own.max_examples > profile.max_examples:
            test._hypothesis_internal_use_settings = settings(  # type: ignore[union-attr]
                own,
                max_examples=profile.max_examples,
                phases=profile.phases,
                suppress_health_check=profile.suppress_health_check,
            )
