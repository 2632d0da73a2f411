"""Codec benchmark: documents per second, written and read, for events, tickets and desks.

Run: ``.venv/bin/python benchmarks/bench_codec.py`` (``--n 2000`` for a quick run).

The values are the golden documents of ``tests/golden/schema1`` read once before
anything is timed: the sixteen events of a support-portal ticket's life, that ticket,
and the support portal's desk. *write* is ``to_document`` of the value, *read* is
``from_document`` of its document (no JSON text either way: the host's JSON library is
not the codec). Prints the median documents per second of ``--repeats`` runs of ``--n``
documents each. This is a script, not a test: speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ticketflow.codec import from_document, to_document

GOLDEN = Path(__file__).parent.parent / "tests" / "golden" / "schema1"


def _load(name: str) -> Any:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def _rate(work: Callable[[Any], object], items: Sequence[object], n: int, repeats: int) -> float:
    """The median documents per second of ``repeats`` runs of ``n`` calls of ``work``."""
    batch = [items[i % len(items)] for i in range(n)]
    rates = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        for item in batch:
            work(item)
        rates.append(n / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="documents per run")
    parser.add_argument("--repeats", type=int, default=5, help="runs per case")
    args = parser.parse_args()
    events_documents = _load("support_portal_events")
    assert isinstance(events_documents, list)
    cases: dict[str, list[Any]] = {
        "event": events_documents,
        "ticket": [_load("support_portal_ticket")],
        "desk (support portal)": [_load("desk_support_portal")],
    }
    print(f"ticketflow.codec, median of {args.repeats} runs of {args.n} documents")
    print(f"  {'document':24} {'write docs/s':>13} {'read docs/s':>12}")
    for name, documents in cases.items():
        values = [from_document(d) for d in documents]
        n = max(1, args.n // 20) if name.startswith("desk") else args.n
        write = _rate(to_document, values, n, args.repeats)
        read = _rate(from_document, documents, n, args.repeats)
        print(f"  {name:24} {write:13,.0f} {read:12,.0f}")


if __name__ == "__main__":
    main()
