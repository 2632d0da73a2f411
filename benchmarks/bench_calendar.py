"""Business-time arithmetic: ticketflow against businesstimedelta and pandas.

Run with ``python benchmarks/bench_calendar.py`` (``--quick`` for a smoke run). The
calendar is Monday to Friday 09:00-17:00 in Europe/Berlin with German public holidays.
Every cell is the median time of one call. ``warm`` reuses a calendar that has
answered the same question before (its timeline is built); ``cold`` builds a new
calendar for every call, so it includes building the timeline. The peers keep no
state between calls, so they only have one column. ``ratio`` is the peer's median
over ticketflow's warm median; ``same`` says whether the peer's answer is the same
instant as ticketflow's.

Peers that are not installed are skipped with a note: ``pip install businesstimedelta
pandas`` (the ``bench`` extra) to include them.

Targets (issue 3): every ticketflow operation at most 10 us (warm median) at every
span, and ``add`` of 20,000 h costing at most twice ``add`` of 8 h.

``--spread`` (issue 10) measures memory instead: 2,000 random instants spread over the
years 1 to 9999, each asked ``is_open``, ``add`` of 8 business hours and ``between``
it and 30 days later, on one calendar; it reports the peak memory (tracemalloc), the
time, the memory the calendar still holds, and the warm ``add`` of 8 h and 20,000 h.
``--before PATH`` runs the same measurement also on another checkout's ``src`` (e.g.
``git worktree add /tmp/before <commit>`` then ``--before /tmp/before/src``), each in
a child process of its own, so both are reported by one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ticketflow import BusinessCalendar

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 1, 5, 10, tzinfo=BERLIN)  # a Monday, 10:00
ADD_HOURS = (8, 80, 2_000, 20_000)
BETWEEN_SPANS = (
    ("1 day", timedelta(days=1)),
    ("1 month", timedelta(days=30)),
    ("1 year", timedelta(days=365)),
    ("10 years", timedelta(days=3652)),
)


def make_calendar() -> BusinessCalendar:
    return BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00", country="DE")


def median_seconds(call: Callable[[], object], *, budget: float, repeats: int) -> float:
    """The median time of one call, from ``repeats`` batches sized to fit ``budget``."""
    began = time.perf_counter()
    call()
    once = time.perf_counter() - began
    per_batch = max(1, int(budget / repeats / max(once, 1e-7)))
    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        for _ in range(per_batch):
            call()
        samples.append((time.perf_counter() - began) / per_batch)
    return statistics.median(samples)


def cold_seconds(call: Callable[[BusinessCalendar], object], *, repeats: int) -> float:
    """The median time of one call on a fresh calendar (construction excluded)."""
    samples = []
    for _ in range(repeats):
        calendar = make_calendar()
        began = time.perf_counter()
        call(calendar)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def businesstimedelta_peer() -> (
    tuple[Callable[[datetime, int], datetime], Callable[[datetime, datetime], timedelta]] | None
):
    try:
        import businesstimedelta
        import holidays
        import pytz
    except ImportError:
        print("note: businesstimedelta is not installed; skipped (pip install businesstimedelta)")
        return None
    tz = pytz.timezone("Europe/Berlin")
    workday = businesstimedelta.WorkDayRule(
        start_time=datetime.min.time().replace(hour=9),
        end_time=datetime.min.time().replace(hour=17),
        working_days=[0, 1, 2, 3, 4],
        tz=tz,
    )
    closed = businesstimedelta.HolidayRule(holidays.country_holidays("DE"), tz=tz)
    rules = businesstimedelta.Rules([workday, closed])

    def add(start: datetime, hours: int) -> datetime:
        result: datetime = start + businesstimedelta.BusinessTimeDelta(rules, hours=hours)
        return result

    def between(a: datetime, b: datetime) -> timedelta:
        delta = rules.difference(a, b)
        return timedelta(hours=delta.hours, seconds=delta.seconds)

    return add, between


def pandas_peer() -> Callable[[datetime, int], datetime] | None:
    try:
        import holidays
        import pandas as pd
    except ImportError:
        print("note: pandas is not installed; skipped (pip install pandas)")
        return None
    closed = sorted(holidays.country_holidays("DE", years=range(2025, 2045)))

    def add(start: datetime, hours: int) -> datetime:
        offset = pd.offsets.CustomBusinessHour(n=hours, start="09:00", end="17:00", holidays=closed)
        result: datetime = (pd.Timestamp(start) + offset).to_pydatetime()
        return result

    return add


def micro(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:,.1f} ms"
    return f"{seconds * 1e6:,.2f} us"


def ratio(peer: float | None, ours: float) -> str:
    return "-" if peer is None else f"{peer / ours:,.0f}x"


def same(peer: datetime | timedelta | None, ours: datetime | timedelta) -> str:
    if peer is None:
        return "-"
    if isinstance(peer, datetime) and isinstance(ours, datetime):
        return "yes" if peer.astimezone(UTC) == ours.astimezone(UTC) else "NO"
    return "yes" if peer == ours else "NO"


# Run in a child process whose ``ticketflow`` may be another checkout's: it uses only
# the public calendar API that every version has.
SPREAD_CHILD = """
import json, random, statistics, sys, time, tracemalloc
from datetime import UTC, datetime, timedelta
from ticketflow import BusinessCalendar

random.seed(10)
lo = datetime(1, 1, 10, tzinfo=UTC)
hi = datetime(9999, 11, 1, tzinfo=UTC)
span = int((hi - lo).total_seconds())
instants = [lo + timedelta(seconds=random.randrange(span)) for _ in range(2_000)]
calendar = BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00", country="DE")
tracemalloc.start()
began = time.perf_counter()
for at in instants:
    calendar.is_open(at)
    calendar.add(at, timedelta(hours=8))
    calendar.between(at, at + timedelta(days=30))
seconds = time.perf_counter() - began
held, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()

def warm(duration):
    fresh = BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00", country="DE")
    start = datetime(2026, 1, 5, 10, tzinfo=UTC)
    fresh.add(start, duration)
    samples = []
    for _ in range(15):
        began = time.perf_counter()
        for _ in range(2_000):
            fresh.add(start, duration)
        samples.append((time.perf_counter() - began) / 2_000)
    return statistics.median(samples)

print(json.dumps({"seconds": seconds, "peak": peak, "held": held,
                  "add_8h": warm(timedelta(hours=8)), "add_20000h": warm(timedelta(hours=20_000))}))
"""


def spread(src: str) -> dict[str, float]:
    """The spread measurement, run with ``src`` first on the import path."""
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run(
        [sys.executable, "-c", SPREAD_CHILD], env=env, check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def report_spread(before: str | None) -> None:
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    runs = [("this checkout", os.path.normpath(here))]
    if before is not None:
        runs.insert(0, ("before", before))
    print("2,000 instants from year 1 to 9999: is_open, add 8 h, between 30 days")
    header = (
        f"{'code':<16}{'time':>10}{'peak memory':>14}{'held':>10}"
        f"{'add 8 h':>11}{'add 20,000 h':>14}"
    )
    print(header)
    print("-" * len(header))
    for label, src in runs:
        r = spread(src)
        print(
            f"{label:<16}{r['seconds']:>9.2f}s{r['peak'] / 1e6:>12.1f}MB{r['held'] / 1e6:>8.1f}MB"
            f"{micro(r['add_8h']):>11}{micro(r['add_20000h']):>14}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--spread", action="store_true", help="memory over years 1-9999")
    parser.add_argument("--before", metavar="SRC", help="with --spread: also this src tree")
    arguments = parser.parse_args()
    if arguments.spread:
        report_spread(arguments.before)
        return 0
    quick = arguments.quick
    budget, repeats, peer_budget = (0.05, 3, 0.2) if quick else (0.5, 15, 3.0)

    btd = businesstimedelta_peer()
    pdh = pandas_peer()
    calendar = make_calendar()
    header = (
        f"{'operation':<22}{'warm':>11}{'cold':>11}"
        f"{'businesstimedelta':>19}{'ratio':>9}{'same':>6}{'pandas':>12}{'ratio':>9}{'same':>6}"
    )
    print(f"Python {sys.version.split()[0]}; Mon-Fri 09:00-17:00 Europe/Berlin, German holidays")
    print(header)
    print("-" * len(header))
    warm_add: dict[int, float] = {}
    for hours in ADD_HOURS:
        duration = timedelta(hours=hours)
        ours = calendar.add(START, duration)
        warm = median_seconds(
            lambda d=duration: calendar.add(START, d), budget=budget, repeats=repeats
        )
        cold = cold_seconds(lambda c, d=duration: c.add(START, d), repeats=max(3, repeats // 3))
        warm_add[hours] = warm
        peer_btd = peer_pd = None
        answer_btd = answer_pd = None
        if btd is not None:
            answer_btd = btd[0](START, hours)
            peer_btd = median_seconds(
                lambda h=hours: btd[0](START, h), budget=peer_budget, repeats=3
            )
        if pdh is not None:
            answer_pd = pdh(START, hours)
            peer_pd = median_seconds(lambda h=hours: pdh(START, h), budget=peer_budget, repeats=3)
        print(
            f"{f'add {hours:,} h':<22}{micro(warm):>11}{micro(cold):>11}"
            f"{micro(peer_btd):>19}{ratio(peer_btd, warm):>9}{same(answer_btd, ours):>6}"
            f"{micro(peer_pd):>12}{ratio(peer_pd, warm):>9}{same(answer_pd, ours):>6}"
        )
    for label, span in BETWEEN_SPANS:
        end = START + span
        ours_span = calendar.between(START, end)
        warm = median_seconds(
            lambda e=end: calendar.between(START, e), budget=budget, repeats=repeats
        )
        cold = cold_seconds(lambda c, e=end: c.between(START, e), repeats=max(3, repeats // 3))
        peer_btd = None
        answer_span = None
        if btd is not None:
            answer_span = btd[1](START, end)
            peer_btd = median_seconds(lambda e=end: btd[1](START, e), budget=peer_budget, repeats=3)
        print(
            f"{f'between {label}':<22}{micro(warm):>11}{micro(cold):>11}"
            f"{micro(peer_btd):>19}{ratio(peer_btd, warm):>9}{same(answer_span, ours_span):>6}"
            f"{'-':>12}{'-':>9}{'-':>6}"
        )
    others = {
        "add_business_days 250": lambda: calendar.add_business_days(START, 250),
        "business_days_between": lambda: calendar.business_days_between(
            date(2026, 1, 1), date(2036, 1, 1)
        ),
        "is_open": lambda: calendar.is_open(START),
        "next_open": lambda: calendar.next_open(START + timedelta(hours=8)),
        "next_close": lambda: calendar.next_close(START),
    }
    for label, call in others.items():
        warm = median_seconds(call, budget=budget, repeats=repeats)
        print(f"{label:<22}{micro(warm):>11}")
    flat = warm_add[20_000] / warm_add[8]
    print(f"\nadd 20,000 h / add 8 h (warm): {flat:.2f} (target <= 2)")
    slowest = max(warm_add.values())
    print(f"slowest warm add: {micro(slowest)} (target <= 10 us)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
