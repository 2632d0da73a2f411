"""Checks the built documentation site in headless Chromium, as a reader's browser sees it.

Run after the Sphinx build (``.ci/run`` does)::

    .venv/bin/python docs/check_site.py [docs/_build/html]

Every HTML page of the build is opened in headless Chromium (``--dump-dom``: the page
as the browser built it, scripts run). The check fails, naming each problem, when

- a page does not load (no DOM, a browser error page, or no article in it), or one
  of its scripts throws an uncaught exception;
- an internal link is broken: an ``href``, ``src`` or ``data`` that names a file of the
  site that does not exist, or an ``#anchor`` that no element of its page carries;
- a preset's page (``presets/<name>.html``) has no state diagram: an SVG image (or
  ``<object>``) whose file exists and holds Graphviz nodes and edges.

It saves screenshots of the tutorial and of a preset page under
``docs/_build/screenshots/`` (kept by CI as artifacts). Links that leave the site
(``https:``, ``mailto:``) are not followed: the check, like the build, needs no network.

Without a Chromium the check cannot run: it says so and fails under ``CI=true`` (where
``.ci/run`` installs one), and skips elsewhere.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urljoin, urlsplit

HERE: Final = Path(__file__).resolve().parent
BROWSERS: Final = ("chromium", "chromium-browser", "google-chrome")
"""The names a headless Chromium goes by, in the order they are looked for."""
SCREENSHOTS: Final = ("tutorial.html", "presets/support_portal.html")
"""The pages whose screenshots are kept, relative to the site's root."""
# The attributes that name another resource, per element.
LINKING: Final = {
    "a": "href",
    "link": "href",
    "script": "src",
    "img": "src",
    "object": "data",
    "iframe": "src",
}
TIMEOUT: Final = 60
"""Seconds a page may take to load before it counts as not loading."""


class Page(HTMLParser):
    """What one page's DOM holds: its ids, the resources it links, its diagrams."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.svgs: list[str] = []
        self.articles = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Records the element's id (and ``<a name>``) and the resource it names."""
        values = {key: value or "" for key, value in attrs}
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(values[key])
        if tag in LINKING and values.get(LINKING[tag]):
            self.links.append(values[LINKING[tag]])
        source = values.get("src" if tag == "img" else "data", "")
        if tag in {"img", "object"} and urlsplit(source).path.endswith(".svg"):
            self.svgs.append(source)
        self.articles += tag == "article"
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        """Leaves the title."""
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        """Collects the title's text."""
        if self._in_title:
            self.title += data


def parse(dom: str) -> Page:
    """The ids, links and diagrams of a page's DOM.

    >>> page = parse('<title>T</title><article id="a"><a href="x.html#b">x</a></article>')
    >>> page.title, sorted(page.ids), page.links, page.articles
    ('T', ['a'], ['x.html#b'], 1)
    """
    page = Page()
    page.feed(dom)
    page.close()
    return page


def find_browser() -> str | None:
    """The path of a Chromium on this machine, if there is one."""
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def _browser_command(browser: str, profile: Path) -> list[str]:
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-extensions",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]


def dump_dom(browser: str, profile: Path, page: Path) -> tuple[str, list[str]]:
    """The DOM of ``page`` after Chromium loaded it (empty if it could not), and the
    errors its scripts threw (Chromium's console log, uncaught exceptions)."""
    try:
        done = subprocess.run(
            [
                *_browser_command(browser, profile),
                "--enable-logging=stderr",
                "--v=0",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "", []
    thrown = [
        line.partition(":CONSOLE")[2].partition("] ")[2].strip()
        for line in done.stderr.splitlines()
        if ":CONSOLE" in line and "Uncaught" in line
    ]
    return (done.stdout if done.returncode == 0 else ""), thrown


def screenshot(browser: str, profile: Path, page: Path, target: Path) -> bool:
    """Saves a 1280x2000 screenshot of ``page`` as ``target``; whether a PNG was written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    subprocess.run(
        [
            *_browser_command(browser, profile),
            "--window-size=1280,2000",
            f"--screenshot={target}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    return target.is_file() and target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def broken_links(site: Path, pages: dict[Path, Page]) -> Iterable[str]:
    """Every internal link of ``pages`` whose file or anchor does not exist."""
    for path, page in pages.items():
        base = path.as_uri()
        for link in page.links:
            target = urlsplit(urljoin(base, link))
            if target.scheme != "file":
                continue  # leaves the site: not followed
            file = Path(unquote(target.path))
            if file.is_dir():
                file /= "index.html"
            where = f"{path.relative_to(site)}: {link}"
            if not file.is_file():
                yield f"{where}: no such file"
            elif (
                target.fragment
                and file in pages
                and unquote(target.fragment) not in pages[file].ids
            ):
                yield f"{where}: no element with id {unquote(target.fragment)!r}"


def missing_diagrams(site: Path, pages: dict[Path, Page]) -> Iterable[str]:
    """Every preset page without a state diagram (an SVG of Graphviz nodes and edges)."""
    presets = [p for p in pages if p.parent == site / "presets" and p.name != "index.html"]
    if not presets:
        yield "presets/: no preset pages in the site"
    for path in presets:
        svgs = [urlsplit(urljoin(path.as_uri(), d)) for d in pages[path].svgs]
        files = [Path(unquote(s.path)) for s in svgs if s.scheme == "file"]
        drawn = [
            f
            for f in files
            if f.is_file()
            and "<svg" in (text := f.read_text(encoding="utf-8"))
            and 'class="node"' in text
            and 'class="edge"' in text
        ]
        if not drawn:
            yield f"{path.relative_to(site)}: no state diagram (an SVG of nodes and edges)"


def check(site: Path, shots: Path, browser: str, jobs: int) -> list[str]:
    """Every problem of the site at ``site``; the screenshots are saved under ``shots``."""
    files = sorted(site.rglob("*.html"))
    if not files:
        return [f"{site}: no HTML pages: build the site first"]
    with tempfile.TemporaryDirectory(prefix="check-site-") as folder:
        return _check(site, shots, browser, jobs=jobs, files=files, profile=Path(folder))


def _check(
    site: Path, shots: Path, browser: str, *, jobs: int, files: list[Path], profile: Path
) -> list[str]:
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        # A profile per thread: Chromium locks the profile it runs with.
        doms = list(
            pool.map(lambda f: dump_dom(browser, profile / str(threading.get_ident()), f), files)
        )
    problems: list[str] = []
    pages: dict[Path, Page] = {}
    for file, (dom, thrown) in zip(files, doms, strict=True):
        page = parse(dom)
        if not dom.strip() or "chrome-error://" in dom or not page.articles:
            problems.append(f"{file.relative_to(site)}: the page did not load in Chromium")
        problems.extend(f"{file.relative_to(site)}: a script failed: {error}" for error in thrown)
        pages[file] = page
    problems.extend(broken_links(site, pages))
    problems.extend(missing_diagrams(site, pages))
    for name in SCREENSHOTS:
        target = shots / f"{Path(name).stem}.png"
        if not (site / name).is_file():
            problems.append(f"{name}: no such page to take a screenshot of")
        elif not screenshot(browser, profile / "0", site / name, target):
            problems.append(f"{name}: Chromium saved no screenshot at {target}")
    links = sum(len(p.links) for p in pages.values())
    print(f"{len(pages)} pages loaded in {browser}, {links} links checked, screenshots in {shots}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Checks the site; 0 when it is sound (or skipped outside CI), 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("site", nargs="?", type=Path, default=HERE / "_build" / "html")
    parser.add_argument("--screenshots", type=Path, default=HERE / "_build" / "screenshots")
    parser.add_argument("--jobs", type=int, default=2, help="browsers run at once (2)")
    args = parser.parse_args(argv)
    browser = find_browser()
    if browser is None:
        reason = f"no Chromium found (looked for {', '.join(BROWSERS)}): install chromium"
        if os.environ.get("CI") == "true":
            print(f"check_site: FAILED: {reason}", file=sys.stderr)
            return 1
        print(f"check_site: skipped: {reason}", file=sys.stderr)
        return 0
    problems = check(args.site.resolve(), args.screenshots.resolve(), browser, max(1, args.jobs))
    for problem in problems:
        print(f"check_site: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
