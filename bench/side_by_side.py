"""newsmon beside rss2email, each as a whole process the way a user runs it, in one interleaved run.

The workload and the harness are ../shared/bench's (200 feeds x 50 entries, 50 ms latency; cold: every
entry new, warm: all 304, tick: 5 new entries per feed). The order is newsmon keyword-only, rss2email,
newsmon full (bundled rules, enrichment on), rss2email — so each newsmon run has an rss2email run beside
it, and ratios are taken within this run only (the machine is shared: absolute seconds move between runs).
Prints the harness's table, then the ratios against the Done-when targets of issue 10, with CPU seconds
and the load average, because other work on the machine stretches wall time but not CPU time.

    .venv/bin/python bench/side_by_side.py [--quick] [--results FILE]

Needs /tmp/venv-rss2email (``sh ../shared/bench/setup_venvs.sh``; run here when missing).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_BENCH = REPO.parent / "shared" / "bench"
PEER = SHARED_BENCH / "newsmon_peer.sh"  # `run --once --all`, as users run it (issue 8 made it end)
RSS2EMAIL = Path("/tmp/venv-rss2email/bin/r2e")
PHASES = ("cold", "warm", "tick")
ORDER = ("newsmon-kw", "rss2email", "newsmon-full", "rss2email")


def run(label: str, args: argparse.Namespace, results: Path, env: dict[str, str]) -> None:
    common = ["--latency", "0.05", "--work", args.work, "--results", str(results), "--reps", "1"]
    common += ["--feeds", str(args.feeds), "--entries", str(args.entries), "--timeout", "3000"]
    if label == "rss2email":
        command = ["run", "--peer", "rss2email", *common]
    else:
        command = [
            "run", "--peer", "custom", "--label", label, *common,
            "--custom-setup", f"sh {PEER} setup", "--custom-cmd", f"sh {PEER} poll",
            "--custom-count", f"sh {PEER} count",
        ]  # fmt: skip
    mode = "kw" if label == "newsmon-kw" else "full"
    print(f"== {label} (load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
    subprocess.run(
        [sys.executable, str(SHARED_BENCH / "run_peers.py"), *command],
        check=True,
        env={**env, "MODE": mode},
    )


def ratios(results: Path) -> str:
    records = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    by: dict[tuple[str, str], list[dict]] = {}
    for record in records:
        by.setdefault((record["label"], record["phase"]), []).append(record)

    def median(label: str, phase: str, key: str) -> float | None:
        values = [r[key] for r in by.get((label, phase), []) if isinstance(r.get(key), int | float)]
        return statistics.median(values) if values else None

    lines = [
        "| phase | rss2email wall s (CPU s) | newsmon kw wall s (CPU s) | newsmon full wall s (CPU s) "
        "| kw vs rss2email | full vs rss2email | full / kw | peak RSS MB: rss2email / kw / full |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for phase in PHASES:
        cells = {}
        for label in ("rss2email", "newsmon-kw", "newsmon-full"):
            wall, cpu = median(label, phase, "wall_s"), median(label, phase, "cpu_s")
            rss = median(label, phase, "peak_rss_mb")
            cells[label] = (wall, cpu, rss)
        peer, kw, full = cells["rss2email"], cells["newsmon-kw"], cells["newsmon-full"]
        lines.append(
            f"| {phase} | {_pair(peer)} | {_pair(kw)} | {_pair(full)} | {_times(peer[0], kw[0])} "
            f"| {_times(peer[0], full[0])} | {_ratio(full[0], kw[0])} "
            f"| {_num(peer[2])} / {_num(kw[2])} / {_num(full[2])} |"
        )
    warm_peer, warm_full = median("rss2email", "warm", "cpu_s"), median("newsmon-full", "warm", "cpu_s")
    lines.append("")
    lines.append(
        f"Warm poll CPU, full mode / rss2email: {_ratio(warm_full, warm_peer)} (target at most 1.5x). "
        '"N x faster" is rss2email\'s wall time over newsmon\'s; "full / kw" is full mode\'s wall time '
        "over keyword-only's (target at most 2x)."
    )
    return "\n".join(lines)


def _pair(cell: tuple[float | None, float | None, float | None]) -> str:
    return f"{_num(cell[0])} ({_num(cell[1])})"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _times(peer: float | None, ours: float | None) -> str:
    return "-" if not peer or not ours else f"{peer / ours:.1f}x faster"


def _ratio(one: float | None, other: float | None) -> str:
    return "-" if not one or not other else f"{one / other:.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="20 feeds instead of 200 (a smoke run)")
    parser.add_argument("--results", help="JSON lines of the harness (default: a new temporary file)")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "feedbench-newsmon"))
    parser.add_argument(
        "--labels",
        nargs="+",
        default=list(ORDER),
        choices=sorted(set(ORDER)),
        help="run only these (appending to --results): to redo one after a change, in the same session",
    )
    args = parser.parse_args()
    args.feeds, args.entries = (20, 50) if args.quick else (200, 50)
    if not RSS2EMAIL.exists():
        subprocess.run(["sh", str(SHARED_BENCH / "setup_venvs.sh")], check=True)
    results = Path(args.results or tempfile.mkstemp(prefix="peers-", suffix=".jsonl")[1])
    # Bytecode, as pip writes it when it installs the wheel (the container does): this checkout is an
    # editable install, and where PYTHONDONTWRITEBYTECODE is set (this machine) every start of newsmon and
    # of each parse worker would compile our ~200 modules again (~0.2 s of CPU each, measured), which no
    # installed copy pays. rss2email's venv has its bytecode from pip.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "monitor")], check=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "NEWSMON_BIN": str(REPO / ".venv" / "bin" / "newsmon"),
        "NEWSMON_REPO": str(REPO),
    }
    load_before = os.getloadavg()
    for label in ORDER if args.labels == list(ORDER) else args.labels:
        run(label, args, results, env)
    load_after = os.getloadavg()
    table = subprocess.run(
        [sys.executable, str(SHARED_BENCH / "run_peers.py"), "summarize", str(results)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    print(f"Workload: {args.feeds} feeds x {args.entries} entries, 50 ms latency; results in {results}.")
    print(
        f"Load average (1/5/15 min) at start {'/'.join(f'{x:.1f}' for x in load_before)}, "
        f"at end {'/'.join(f'{x:.1f}' for x in load_after)}, on {os.cpu_count()} cores.\n"
    )
    print(ratios(results))
    print()
    print(table)


if __name__ == "__main__":
    main()
