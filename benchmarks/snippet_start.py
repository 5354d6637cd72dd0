"""Time from "run this snippet" to its first output line: cold vs warm runner.

* cold: a new ``python -c "import torch; print('ready', flush=True)"`` process,
  as a plain ``subprocess`` runner would start it;
* warm: ``SnippetRunner`` running ``import torch; print('ready')``, a fresh
  process forked from the warm server for every run (warmed up once first), runs
  back to back (the warm server then forks the next spare as soon as it hands a
  run over);
* confined: the same with ``confined=True`` (an added deck's snippet: the second,
  clean-environment warm server, and Landlock applied in each run);
* op / confined op: a snippet that runs one real op first (a 64x64 matmul), so
  the first op's one-time setup in a freshly forked process (OpenMP team, MKL)
  counts too;
* op, 1 s apart: the same with a second between runs, as a learner presses run
  (the next spare is then forked once the run has ended, never beside it);
* optimizer: the first ``torch.optim.SGD`` a snippet creates (it imports
  ``torch._dynamo``), once the warm server has been idle for a second.

Beside the runs, ``reference_ms`` times forking a child that exits at once, before and
after them (``machine_reference.py``): a slow reference is a slow machine.

Usage: ``python benchmarks/snippet_start.py [--runs 20]``.  Prints a table, and
as the last line a JSON object with the numbers (milliseconds).  Targets (issue 11): a
real op's first output p50 <= 8 ms, and >= 100x the cold start.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

if importlib.util.find_spec("studylog") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine_reference import fork_reference_ms  # noqa: E402

from studylog.runner import RunEvent, SnippetRunner  # noqa: E402

SNIPPET = "import torch; print('ready', flush=True)"
IDLE_S = 5.0  # long enough for the warm server's idle preloading to finish
SPACED_S = 1.0  # between runs "1 s apart" (more than the warm server's burst window)
OP_SNIPPET = "import torch; x = torch.ones(64, 64); y = x @ x; print('ready', flush=True)"
OPTIM_SNIPPET = (
    "import torch; w = torch.nn.Parameter(torch.ones(3)); "
    "opt = torch.optim.SGD([w], lr=0.1); print('ready', flush=True)"
)


def time_cold() -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", SNIPPET], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    took = time.perf_counter() - t0
    proc.wait()
    assert line.strip() == b"ready", line
    return took


def time_warm(runner: SnippetRunner, confined: bool = False, code: str = SNIPPET) -> float:
    t0 = time.perf_counter()
    first: list[float] = []

    def on_event(event: RunEvent) -> None:
        if not first and event.text == "ready":
            first.append(time.perf_counter() - t0)

    result = runner.run(code, on_event, confined=confined)
    assert result.ok and first, result.summary()
    return first[0]


def stats(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"p50": statistics.median(ms), "p95": p95, "min": ms[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    reference_before = fork_reference_ms()
    cold = [time_cold() for _ in range(args.runs)]
    # as the app starts it (tui/settings.py): torch._dynamo is imported once idle
    with SnippetRunner(preload_when_idle=("torch._dynamo",)) as runner:
        runner.start(wait=True)
        time_warm(runner)  # warm-up run, not timed
        time.sleep(IDLE_S)  # as a user would: the app has been open a moment
        warm = [time_warm(runner) for _ in range(args.runs)]
        op = [time_warm(runner, code=OP_SNIPPET) for _ in range(args.runs)]
        op_spaced = []
        for _ in range(args.runs):
            time.sleep(SPACED_S)
            op_spaced.append(time_warm(runner, code=OP_SNIPPET))
        optim = [time_warm(runner, code=OPTIM_SNIPPET) for _ in range(max(3, args.runs // 4))]
        time_warm(runner, confined=True)  # starts the confined warm process, not timed
        time.sleep(IDLE_S)
        confined = [time_warm(runner, confined=True) for _ in range(args.runs)]
        confined_op = [time_warm(runner, True, OP_SNIPPET) for _ in range(args.runs)]
    reference_after = fork_reference_ms()
    reference = (reference_before + reference_after) / 2

    c, w, k = stats(cold), stats(warm), stats(confined)
    o, ko, opt, os_ = stats(op), stats(confined_op), stats(optim), stats(op_spaced)
    print(f"time to first output line, {args.runs} runs each (ms)")
    print(f"{'':14} {'median':>9} {'p95':>9} {'min':>9}")
    rows = (("cold", c), ("warm", w), ("op", o), ("op, 1 s apart", os_), ("optimizer", opt),
            ("confined", k), ("confined op", ko))
    for name, s in rows:
        print(f"{name:14} {s['p50']:9.1f} {s['p95']:9.1f} {s['min']:9.1f}")
    print(f"speedup (median): {c['p50'] / w['p50']:.0f}x, "
          f"with a real op {c['p50'] / o['p50']:.0f}x")
    print(f"reference (machine_reference.fork_reference_ms, before / after): "
          f"{reference_before:.2f} / {reference_after:.2f} ms; op over it "
          f"{o['p50'] / reference:.1f}")
    print(
        json.dumps(
            {
                "cold_p50_ms": round(c["p50"], 1),
                "cold_p95_ms": round(c["p95"], 1),
                "cold_min_ms": round(c["min"], 1),
                "warm_p50_ms": round(w["p50"], 1),
                "warm_p95_ms": round(w["p95"], 1),
                "warm_min_ms": round(w["min"], 1),
                "confined_p50_ms": round(k["p50"], 1),
                "confined_p95_ms": round(k["p95"], 1),
                "confined_min_ms": round(k["min"], 1),
                "op_p50_ms": round(o["p50"], 1),
                "op_p95_ms": round(o["p95"], 1),
                "op_spaced_p50_ms": round(os_["p50"], 1),
                "op_spaced_p95_ms": round(os_["p95"], 1),
                "optimizer_p50_ms": round(opt["p50"], 1),
                "confined_op_p50_ms": round(ko["p50"], 1),
                "confined_op_p95_ms": round(ko["p95"], 1),
                "speedup_p50": round(c["p50"] / w["p50"], 1),
                "op_speedup_p50": round(c["p50"] / o["p50"], 1),
                "runs": args.runs,
                "reference_ms": round(reference, 2),
                "reference_before_after_ms": [round(reference_before, 2),
                                              round(reference_after, 2)],
                "op_over_reference": round(o["p50"] / reference, 2),
                "targets": {"op_p50_ms": 8, "op_speedup_p50": 100},
            }
        )
    )


if __name__ == "__main__":
    main()
