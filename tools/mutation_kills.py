"""Check that tests written after a mutation run kill the survivors they were written for.

A mutation run (``tools/mutation.sh``) is of one commit: a test added since cannot
change its verdicts, and a new run starts from nothing. This script checks claims of
the form "test T kills the surviving mutant M" exactly as mutmut runs a mutant: in a
copy of the run's ``mutants/`` folder, whose functions are trampolines that run the
mutant named by the ``MUTANT_UNDER_TEST`` environment variable, with the current
``tests/`` copied in. A claim holds when every test named passes with no mutant active
(so it tests the run's code, not a behaviour added since) and at least one fails with
the mutant active (or they hang: a timeout kills a mutant, as mutmut counts it).

    python tools/mutation_kills.py MUTANTS_FOLDER CLAIMS [CLAIMS ...] > killed_since.txt

Each line of a claims file is a mutant's name and one or more pytest node ids, or test files
(``#`` starts a comment). It prints the claims that hold, one line each, and reports
the others on stderr; ``tools/mutation_scores.py`` counts the printed ones apart.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree import ElementTree

REPOSITORY = Path(__file__).resolve().parents[1]


def claims(paths: list[Path]) -> dict[str, list[str]]:
    """Each mutant claimed, with the node ids of the tests said to kill it."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        for line in path.read_text().splitlines():
            words = line.partition("#")[0].split()
            if len(words) >= 2:
                found[words[0]].extend(w for w in words[1:] if w not in found[words[0]])
    return dict(found)


def pytest(copy: Path, node_ids: list[str], mutant: str | None, *more: str) -> int:
    """pytest's exit code for ``node_ids`` in ``copy``, with ``mutant`` active."""
    env = {k: v for k, v in os.environ.items() if k != "MUTANT_UNDER_TEST"}
    env["PYTHONPATH"] = str(copy / "src")
    if mutant is not None:
        env["MUTANT_UNDER_TEST"] = mutant
    command = [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:randomly"]
    command += ["-p", "no:cacheprovider", *more, *node_ids]
    try:
        run = subprocess.run(
            command, cwd=copy, env=env, capture_output=True, check=False, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return HUNG
    return run.returncode


TIMEOUT = 120
"""Seconds a mutant's tests may take: a mutant that makes them hang is killed, as
mutmut counts a timeout."""
HUNG = -1


def failing(copy: Path, node_ids: list[str]) -> set[str]:
    """The tests of ``node_ids`` that fail (or are not found) with no mutant active."""
    report = copy / "clean.xml"
    pytest(copy, node_ids, None, f"--junitxml={report}")
    passed, failed = set(), set()
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        key = (case.get("classname", ""), case.get("name", ""))
        if any(child.tag in ("failure", "error") for child in case):
            failed.add(key)
        elif not any(child.tag == "skipped" for child in case):
            passed.add(key)
    return {t for t in node_ids if not _passes(t, passed, failed)}


def _passes(node_id: str, passed: set[tuple[str, str]], failed: set[tuple[str, str]]) -> bool:
    """Whether the test ``node_id`` passed; a test file (no ``::``) passes when one of its
    tests passed and none failed (a skipped one does not count)."""
    if "::" in node_id:
        return _junit_key(node_id) in passed
    module = node_id.removesuffix(".py").replace("/", ".")

    def inside(key: tuple[str, str]) -> bool:
        return key[0] == module or key[0].startswith(f"{module}.")

    return any(map(inside, passed)) and not any(map(inside, failed))


def _junit_key(node_id: str) -> tuple[str, str]:
    """The (classname, name) pytest's JUnit report gives the test ``node_id``."""
    path, _, rest = node_id.partition("::")
    parts = rest.split("::")
    module = path.removesuffix(".py").replace("/", ".")
    return ".".join([module, *parts[:-1]]), parts[-1]


def main(argv: list[str]) -> int:
    """Print the claims of the files in ``argv[2:]`` that hold in ``argv[1]``'s copy."""
    folder, files = Path(argv[1]), [Path(a) for a in argv[2:]]
    claimed = claims(files)
    verdicts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="mutation-kills-") as scratch:
        copy = Path(scratch) / "mutants"
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("*.meta", "__pycache__"))
        shutil.rmtree(copy / "tests")
        shutil.copytree(REPOSITORY / "tests", copy / "tests")
        broken = failing(copy, sorted({t for ids in claimed.values() for t in ids}))
        for test in sorted(broken):
            print(f"not counted: {test} fails with no mutant active", file=sys.stderr)
        kept = {m: ids for m, ids in claimed.items() if not broken.intersection(ids)}
        with ThreadPoolExecutor(max_workers=int(os.environ.get("JOBS", "2"))) as pool:
            codes = pool.map(lambda m: pytest(copy, kept[m], m, "-x"), kept)
            verdicts.update(zip(kept, codes, strict=True))
    held = 0
    for mutant, ids in claimed.items():
        code = verdicts.get(mutant)
        if code in (1, HUNG):
            held += 1
            print(mutant, *ids, *(["# hangs"] if code == HUNG else []))
        else:
            why = "a test fails without it" if code is None else f"pytest exit {code}"
            print(f"does not hold: {mutant} ({why})", file=sys.stderr)
    print(f"{held} of {len(claimed)} claims hold", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
