"""What pytest collects under docs/: the pages' doctests and the helpers' own.

The site's build output is no source of tests. The Sphinx extensions import Sphinx,
which the ``docs`` extra installs and the ``test`` extra does not: on a machine with
the ``test`` extra alone (the README's test command) their doctests are left out, and
``.ci/run``, which installs both, runs them.
"""

from __future__ import annotations

import importlib.util

collect_ignore_glob = ["_build/*"]
collect_ignore = (
    []
    if importlib.util.find_spec("sphinx")
    else ["_ext/ticketflow_api.py", "_ext/ticketflow_diagrams.py"]
)
