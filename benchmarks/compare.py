"""Compare two checkouts side by side: the same benchmark scripts, alternately, in one run.

Run: ``.venv/bin/python benchmarks/compare.py BASE_DIR [--rounds 3] [--scripts ...]``

``BASE_DIR`` is another checkout of ticketflow (``git worktree add /tmp/base <commit>``).
Each script runs in both trees in turn (base, this tree, base, ...), each time with the
tree's own ``src`` first on ``sys.path`` and its own copy of the script, so a refactor
is measured against the commit before it under the same machine load. Every table row
of a script's output (an indented label followed by numbers) is collected; the report
gives, per row, the median of its first number in each tree and their ratio
(this tree / base). Whether higher is better depends on the column (transitions per
second: higher; seconds or microseconds: lower); the script's own header says which.

This is a script, not a test: speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
DEFAULT_SCRIPTS = (
    "bench_core.py --n 200000 --repeats 3 --tickets 20000",
    "bench_sla.py --n 50000 --repeats 3 --sample 200 --calls 5000",
    "bench_timers.py --n 100000 --repeats 3",
)
# An indented row: a label, two or more spaces, then a number (1,234 or 5.67).
ROW = re.compile(r"^\s{2}(?P<label>\S.*?)\s{2,}(?P<value>-?[\d,]+(?:\.\d+)?)\b")


def rows(output: str) -> dict[str, float]:
    """The first number of every table row of ``output``, by its label (the section
    heading before it keeps labels that repeat across sections apart)."""
    found: dict[str, float] = {}
    section = ""
    for line in output.splitlines():
        if line and not line.startswith(" "):
            section = line.split(",")[0].strip()
            continue
        match = ROW.match(line)
        if match:
            key = f"{section} | {match['label'].strip()}"
            found.setdefault(key, float(match["value"].replace(",", "")))
    return found


def run(tree: Path, script: str) -> str:
    """The output of ``script`` (with its arguments) run in ``tree``."""
    name, *arguments = script.split()
    environment = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run(
        [sys.executable, str(tree / "benchmarks" / name), *arguments],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="the other checkout")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scripts", nargs="*", default=list(DEFAULT_SCRIPTS))
    args = parser.parse_args()
    trees = {"base": args.base.resolve(), "this": HERE}
    for script in args.scripts:
        values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        for _ in range(args.rounds):
            for which, tree in trees.items():
                for label, value in rows(run(tree, script)).items():
                    values[label][which].append(value)
        print(f"{script}: median of {args.rounds} rounds, alternating base and this tree")
        print(f"  {'row':78} {'base':>12} {'this':>12} {'this/base':>9}")
        for label, by_tree in values.items():
            if len(by_tree["base"]) != args.rounds or len(by_tree["this"]) != args.rounds:
                continue  # a row only one tree prints
            base = statistics.median(by_tree["base"])
            this = statistics.median(by_tree["this"])
            ratio = this / base if base else float("nan")
            print(f"  {label[:78]:78} {base:12,.2f} {this:12,.2f} {ratio:9.3f}")
        print()


if __name__ == "__main__":
    main()
