"""Print the mutation score of each mutated module from mutmut's results (``mutants/``).

Run from the folder mutmut ran in, after ``mutmut run``: one Markdown table row per
module, the mutants by verdict and the score, ``killed / (mutants - equivalent)``
(a timeout counts as killed: the mutant made the tests hang). Equivalent mutants are
read from ``tools/equivalent_mutants.txt``: one mutant name a line, then ``#`` and the
reason it cannot change behaviour. A third file, the output of
``tools/mutation_kills.py``, names survivors that tests written since the run kill
(each checked with the mutant active), and mutants the run did not reach that a test
is checked to kill: they are counted apart, as "killed since", and the second score
counts them killed.

    python tools/mutation_scores.py [mutants-folder] [equivalents-file] [killed-since-file]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 37}
TIMEOUT = {36, 24, -24, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}


def equivalents(path: Path) -> set[str]:
    """The mutant names listed in ``path``, the first word of each line (its ``#``
    reasons, the tests named after it and blank lines aside)."""
    if not path.exists():
        return set()
    lines = (line.partition("#")[0].split() for line in path.read_text().splitlines())
    return {words[0] for words in lines if words}


def verdict(code: int | None, equivalent: bool, killed_since: bool = False) -> str:
    """The column a mutant's exit code counts in."""
    if code is None:
        # Not run yet, but checked since: a test fails with it active, as in a run.
        return "killed since" if killed_since else "not run"
    if code in KILLED:
        return "killed"
    if code in TIMEOUT:
        return "timeout"
    if equivalent:
        return "equivalent"
    if code in SURVIVED:
        return "killed since" if killed_since else "survived"
    if code in NO_TESTS:
        return "no tests"
    return "other"


def main(argv: list[str]) -> None:
    """Print the table for the mutants folder and equivalents file named in ``argv``."""
    folder = Path(argv[1]) if len(argv) > 1 else Path("mutants")
    known = equivalents(Path(argv[2]) if len(argv) > 2 else Path("tools/equivalent_mutants.txt"))
    since = equivalents(Path(argv[3])) if len(argv) > 3 else set()
    columns: tuple[str, ...] = (
        "mutants",
        "killed",
        "timeout",
        "survived",
        "no tests",
        "equivalent",
        "not run",
    )
    if since:
        columns = (*columns[:4], "killed since", *columns[4:])
    print("| module | " + " | ".join(columns) + " | score |" + (" with since |" if since else ""))
    print("| --- |" + " ---: |" * (len(columns) + 1 + bool(since)))
    totals: Counter[str] = Counter()
    for meta in sorted(folder.rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        counts = Counter(
            verdict(code, name in known, name in since) for name, code in codes.items()
        )
        counts["mutants"] = len(codes)
        totals += counts
        print(row(meta.name.removesuffix(".py.meta"), counts, columns, bool(since)))
    print(row("**all**", totals, columns, bool(since)))


def row(name: str, counts: Counter[str], columns: tuple[str, ...], since: bool = False) -> str:
    """One table row: the counts, and the score over the mutants that were run (and,
    with ``since``, the score counting the survivors killed since as killed)."""
    run = counts["mutants"] - counts["not run"] - counts["equivalent"]
    killed = counts["killed"] + counts["timeout"]
    scores = [killed, killed + counts["killed since"]] if since else [killed]
    cells = [f"{100 * k / run:.1f} %" if run else "-" for k in scores]
    return f"| {name} | " + " | ".join([*(str(counts[c]) for c in columns), *cells]) + " |"


if __name__ == "__main__":
    main(sys.argv)
