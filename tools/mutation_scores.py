"""Print the mutation score of each mutated module from mutmut's results (``mutants/``).

Run from the folder mutmut ran in, after ``mutmut run``: one Markdown table row per
module, the mutants by verdict and the score, ``killed / (mutants - equivalent)``
(a timeout counts as killed: the mutant made the tests hang). Equivalent mutants are
read from ``tools/equivalent_mutants.txt``: one mutant name a line, then ``#`` and the
reason it cannot change behaviour.

    python tools/mutation_scores.py [mutants-folder] [equivalents-file]
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
    """The mutant names listed in ``path`` (its ``#`` reasons and blank lines aside)."""
    if not path.exists():
        return set()
    lines = (line.partition("#")[0].strip() for line in path.read_text().splitlines())
    return {line for line in lines if line}


def verdict(code: int | None, equivalent: bool) -> str:
    """The column a mutant's exit code counts in."""
    if code is None:
        return "not run"
    if code in KILLED:
        return "killed"
    if code in TIMEOUT:
        return "timeout"
    if equivalent:
        return "equivalent"
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no tests"
    return "other"


def main(argv: list[str]) -> None:
    """Print the table for the mutants folder and equivalents file named in ``argv``."""
    folder = Path(argv[1]) if len(argv) > 1 else Path("mutants")
    known = equivalents(Path(argv[2]) if len(argv) > 2 else Path("tools/equivalent_mutants.txt"))
    columns = ("mutants", "killed", "timeout", "survived", "no tests", "equivalent", "not run")
    print("| module | " + " | ".join(columns) + " | score |")
    print("| --- |" + " ---: |" * (len(columns) + 1))
    totals: Counter[str] = Counter()
    for meta in sorted(folder.rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        counts = Counter(verdict(code, name in known) for name, code in codes.items())
        counts["mutants"] = len(codes)
        totals += counts
        print(row(meta.name.removesuffix(".py.meta"), counts, columns))
    print(row("**all**", totals, columns))


def row(name: str, counts: Counter[str], columns: tuple[str, ...]) -> str:
    """One table row: the counts, and the score over the mutants that were run."""
    run = counts["mutants"] - counts["not run"] - counts["equivalent"]
    score = f"{100 * (counts['killed'] + counts['timeout']) / run:.1f} %" if run else "-"
    return f"| {name} | " + " | ".join(str(counts[c]) for c in columns) + f" | {score} |"


if __name__ == "__main__":
    main(sys.argv)
