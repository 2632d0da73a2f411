"""Ready-made desks, one module per real support desk described in the project's seeds.

- :mod:`ticketflow.presets.support_portal`: the technical support portal (seeds 000/001).
"""

from ticketflow.presets import hosting_portal, support_portal

__all__ = ["hosting_portal", "support_portal"]
