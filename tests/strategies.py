"""The test suite's strategies: the public ``ticketflow.testing`` module, re-exported.

The strategies live in one place, ``ticketflow.testing``, which hosts use too.
"""

from ticketflow.testing import (
    BASE,
    actors,
    command_sequences,
    commands,
    dst_changes,
    field_values,
    garbage_documents,
    instants,
    valid_workflow_documents,
    workflow_documents,
)

__all__ = [
    "BASE",
    "actors",
    "command_sequences",
    "commands",
    "dst_changes",
    "field_values",
    "garbage_documents",
    "instants",
    "valid_workflow_documents",
    "workflow_documents",
]
