"""The documentation site's reference is complete (issue 15, deliverable 1): every name
in a public module's ``__all__`` has a docstring and an autodoc entry in the API pages
(``docs/api/``), no entry names what is not public, and every preset's page draws its
workflow. Read from the Markdown and the source alone: no Sphinx build runs here
(``.ci/run`` builds the site with warnings as errors)."""

from __future__ import annotations

import importlib.util
import inspect
import re
from collections.abc import Callable
from functools import cache
from itertools import count
from pathlib import Path
from types import ModuleType
from typing import Final

import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT: Final = Path(__file__).resolve().parents[1]
DOCS: Final = ROOT / "docs"
API: Final = DOCS / "api"


def _load_public_names() -> ModuleType:
    """``docs/_ext/public_names.py``, the reader the docs' autodoc hook uses too."""
    spec = importlib.util.spec_from_file_location("public_names", DOCS / "_ext" / "public_names.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_NAMES: Final = _load_public_names()
public_modules: Callable[..., tuple[str, ...]] = _NAMES.public_modules
exported: Callable[..., tuple[str, ...]] = _NAMES.exported
docstring: Callable[..., str | None] = _NAMES.docstring

ENTRY: Final = re.compile(r"^\.\. auto(?:module|class|exception|function|data)::\s+(\S+)", re.M)
"""An autodoc directive in an ``{eval-rst}`` block, and the dotted name it documents."""


def api_entries(text: str) -> set[str]:
    """The dotted names a page's autodoc directives document.

    >>> sorted(api_entries(".. autoclass:: ticketflow.Desk\\n   :members:\\n"
    ...                    ".. autodata:: ticketflow.AGENT\\n.. py:module:: ticketflow.x\\n"))
    ['ticketflow.AGENT', 'ticketflow.Desk']
    """
    return set(ENTRY.findall(text))


@cache
def documented() -> frozenset[str]:
    """Every dotted name an API page documents."""
    pages = sorted(API.rglob("*.md"))
    return frozenset(name for page in pages for name in api_entries(page.read_text("utf-8")))


@cache
def public_names() -> tuple[tuple[str, str], ...]:
    """Every public module's exported names, as (module, name) pairs."""
    return tuple((module, name) for module in public_modules() for name in exported(module))


class TestEveryPublicNameIsDocumented:
    def test_every_public_name_has_a_docstring(self) -> None:
        """Every name in a public module's ``__all__`` has a docstring where it is defined."""
        missing = {f"{m}.{n}" for m, n in public_names() if not (docstring(m, n) or "").strip()}

        assert sorted(missing) == []

    def test_every_public_name_has_an_entry_in_the_api_pages(self) -> None:
        """Every name in a public module's ``__all__`` has an autodoc entry under
        ``docs/api/``."""
        missing = {f"{m}.{n}" for m, n in public_names() if f"{m}.{n}" not in documented()}

        assert sorted(missing) == []

    def test_every_public_module_has_its_own_entry(self) -> None:
        """Every public module's docstring is rendered by an ``automodule`` entry."""
        missing = set(public_modules()) - documented()

        assert sorted(missing) == []

    def test_no_entry_names_a_name_that_is_not_public(self) -> None:
        """Every autodoc entry documents a public module or a name in its ``__all__`` (a
        renamed or removed name leaves no stale entry)."""
        public = {f"{m}.{n}" for m, n in public_names()} | set(public_modules())

        assert [] == sorted(documented() - public)


class TestEveryPresetPageDrawsItsWorkflow:
    def test_every_preset_page_has_a_diagram_of_its_module(self) -> None:
        """Every preset's page under ``docs/presets/`` draws its own module's workflow."""
        presets = exported("ticketflow.presets")
        pages = {name: DOCS / "presets" / f"{name}.md" for name in presets}

        drawn = [
            name
            for name, page in pages.items()
            if page.is_file()
            and f"```{{workflow-diagram}} ticketflow.presets.{name}\n" in page.read_text("utf-8")
        ]

        assert list(presets) == drawn


_PACKAGES = count()


def _package(tmp: Path, files: dict[str, str]) -> Path:
    """A fresh package ``pkg`` under ``tmp`` with ``files`` (a new folder per call: the
    reader caches what it parsed)."""
    source = tmp / f"src{next(_PACKAGES)}"
    for name, text in files.items():
        path = source / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return source


class TestTheReaderSeesWhatItShould:
    def test_a_constant_without_a_docstring_has_none(self, tmp_path: Path) -> None:
        """A constant assigned without a string after it has no docstring, so the
        completeness check's silence means something."""
        source = _package(
            tmp_path, {"__init__.py": '__all__ = ["X"]\nX = 1\nY = 2\n"""Why Y."""\n'}
        )

        assert (None, "Why Y.") == (docstring("pkg", "X", source), docstring("pkg", "Y", source))

    @given(text=st.text(st.characters(codec="utf-8"), min_size=1).filter(str.strip))
    def test_a_reexported_constant_has_the_docstring_of_its_definition(
        self, tmp_path_factory: pytest.TempPathFactory, text: str
    ) -> None:
        """A constant re-exported from a private module (absolutely or relatively) has
        the docstring written after its assignment there, whatever its text."""
        source = _package(
            tmp_path_factory.mktemp("package"),
            {
                "__init__.py": (
                    '__all__ = ["X", "Z"]\nfrom pkg._defs import X\nfrom ._defs import Z\n'
                ),
                "_defs.py": f"X: int = 1\n{text!r}\nZ: int\n{text!r}\n",
            },
        )

        assert [inspect.cleandoc(text)] * 2 == [
            docstring("pkg", "X", source),
            docstring("pkg", "Z", source),
        ]

    def test_only_modules_without_an_underscore_are_public(self, tmp_path: Path) -> None:
        """A module is public when no part of its dotted name starts with an underscore."""
        source = _package(
            tmp_path,
            {"__init__.py": "", "_core.py": "", "api.py": "", "sub/__init__.py": "", "_x/y.py": ""},
        )

        assert ("pkg", "pkg.api", "pkg.sub") == public_modules(source, "pkg")
