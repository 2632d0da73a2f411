"""Sphinx configuration of the ticketflow documentation site.

The pages are MyST Markdown; the API reference is autodoc over the docstrings (reST);
the preset pages' state diagrams are drawn at build time from the workflow data by the
local extension ``docs/_ext/ticketflow_diagrams.py``. Nothing here reaches the network:
intersphinx is loaded without a mapping, so a build never fetches an inventory. The
doctests are run by pytest (``--doctest-glob=*.md``), not by Sphinx.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE / "_ext"))
sys.path.insert(0, str(_HERE.parent / "src"))

project = "ticketflow"
author = "ticketflow developers"
copyright = "ticketflow developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    # Google-style Args / Returns / Raises / Attributes sections, as the docstrings are
    # written.
    "sphinx.ext.napoleon",
    "sphinx.ext.graphviz",
    "sphinx.ext.intersphinx",
    "ticketflow_api",
    "ticketflow_diagrams",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
# Only the pages: the build's output, the Python files beside the pages and the helper
# scripts are not documents.
exclude_patterns = ["_build", "_ext", "**/__pycache__", ".pytest_cache"]

# -- MyST ------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
# Headings get anchors (``page.md#a-heading``), as GitHub renders them.
myst_heading_anchors = 3

# -- autodoc ---------------------------------------------------------------------------
autodoc_member_order = "bysource"
# A class's Attributes section as one compact field list, not an entry per attribute.
napoleon_use_ivar = True
# autodoc's own type hints, in the description: the modules import their annotations'
# names under TYPE_CHECKING, which autodoc leaves as written where
# sphinx-autodoc-typehints warns that it cannot resolve them (attrs' generated
# __init__ has its own globals).
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"

# -- intersphinx: no mapping, so no inventory is fetched at build time ------------------
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
intersphinx_disabled_reftypes = ["*"]

# -- graphviz: SVG, inline, so the diagrams are in the page and scale with it ---------
graphviz_output_format = "svg"
graphviz_dot = "dot"

# -- HTML ------------------------------------------------------------------------------
html_theme = "furo"
html_title = "ticketflow"
html_static_path = ["_static"]
# The diagrams fitted to the column, and long code (a test's node id) wrapped in tables.
html_css_files = ["ticketflow.css"]
