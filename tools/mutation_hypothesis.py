"""A pytest plugin for mutation runs (``tools/mutation.sh``): fewer Hypothesis examples.

A mutation run executes the covering tests once per mutant, so the suite's property
tests dominate its time. This plugin loads a ``mutation`` profile, the suite's default
profile with ``MUTATION_MAX_EXAMPLES`` examples (10 unless set) and no shrinking, after
``tests/conftest.py`` has loaded its own, and stops Hypothesis from refusing a test
method that runs in a second pytest session of the same process. A mutant that
survives here may still be killed by the full profile: the score it gives is a lower
bound of the suite's.
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
