"""The cold path of a short-lived process: import, construct, first `checkout.sessions.retrieve`.

    uv run python benchmarks/cold_path.py            # best of 9 interleaved rounds
    uv run python benchmarks/cold_path.py --rounds 3

A CLI or a serverless cold start pays this once per process. Each round starts
one fresh interpreter per implementation (stripe-async, and stripe-python's
async client over httpx) that imports the SDK, builds a client and retrieves one
Checkout Session from benchmarks/server.py on 127.0.0.1 (its own process), then
exits. Figures are the child's CPU time (user + system, from `wait4`, so
interpreter start-up and exit count), best of the rounds; `python -c pass` is
measured alike as the interpreter's own share. The child also reports its three
stages (CPU time): start-up to its first line (interpreter, `import asyncio`), import,
construct, first retrieve, and exit (the process total minus what it had used when
the retrieve returned). Prints one JSON line last: the figures and the ratio.

Two settings: `bytecode` with compiled modules cached (what an installed package
has: a warm-up round writes them to a private `PYTHONPYCACHEPREFIX`, so nothing is
written beside the sources), and `source` with every module compiled from source
in each process (`PYTHONDONTWRITEBYTECODE` and no cache: an install that never
compiled, as `uv sync` leaves one by default).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SESSION_ID = "cs_test_a1YS1URlnyQCN5fUUduORoQ7Pw41PJqDWkIVQCpJPqkfIhd6tVY8XB1OLY"
API_KEY = "sk_test_cold_path"

OURS = """
from stripe_async import StripeClient
t1 = time.process_time()
client = StripeClient(API_KEY, base_url=BASE, max_retries=0)
t2 = time.process_time()

async def first() -> None:
    async with client:
        session = await client.checkout.sessions.retrieve(SESSION_ID)
        assert session.id == SESSION_ID, session.id
"""

THEIRS = """
import stripe
t1 = time.process_time()
client = stripe.StripeClient(
    API_KEY, base_addresses={"api": BASE}, http_client=stripe.HTTPXClient(), max_network_retries=0
)
t2 = time.process_time()

async def first() -> None:
    session = await client.v1.checkout.sessions.retrieve_async(SESSION_ID)
    assert session.id == SESSION_ID, session.id
"""

CHILD = """
import asyncio, json, sys, time
BASE, SESSION_ID, API_KEY = sys.argv[1:4]
t0 = time.process_time()
{body}
asyncio.run(first())
t3 = time.process_time()
print(json.dumps({{"start_ms": t0 * 1e3, "import_ms": (t1 - t0) * 1e3,
                  "construct_ms": (t2 - t1) * 1e3, "first_call_ms": (t3 - t2) * 1e3,
                  "until_exit_ms": t3 * 1e3}}))
"""

IMPLS = {"stripe_async": OURS, "stripe_python": THEIRS}

# Where stripe-async's first retrieve goes: the same steps one at a time (CPU ms).
BREAKDOWN = """
import asyncio, json, sys, time
T = time.process_time
BASE, SESSION_ID, API_KEY = sys.argv[1:4]
steps = {}
t = T(); from stripe_async import StripeClient; steps["import stripe_async + httpx"] = T() - t
t = T(); from pydantic import BaseModel; steps["import pydantic"] = T() - t
t = T()
import stripe_async.resources.checkout.sessions
from stripe_async.models.checkout import Session
steps["service and model modules"] = T() - t
t = T()
Session.model_validate_json(json.dumps({"id": SESSION_ID, "object": "checkout.session"}))
steps["first model build (pydantic plugins, Session)"] = T() - t
client = StripeClient(API_KEY, base_url=BASE, max_retries=0)

async def first() -> None:
    async with client:
        t = T()
        session = await client.checkout.sessions.retrieve(SESSION_ID)
        steps["first request (httpcore, anyio, TLS context, nested models)"] = T() - t
        t = T()
        await client.checkout.sessions.retrieve(SESSION_ID)
        steps["second request"] = T() - t

asyncio.run(first())
print(json.dumps({k: v * 1e3 for k, v in steps.items()}))
"""


def run_child(
    code: str, *args: str, cache: str | None, path: str | None = None
) -> tuple[float, dict[str, Any]]:
    """Run `code` in a fresh interpreter: its CPU time (ms) and what it printed last.

    `cache` is the bytecode cache directory; None compiles every module from source.
    `path` goes first on `sys.path` (a baseline tree of stripe_async).
    """
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if path is not None:
        env["PYTHONPATH"] = path
    env.pop("STRIPE_API_KEY", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="cold-path-empty-")
    else:
        env["PYTHONPYCACHEPREFIX"] = cache
    # Started outside the repository, so that `-c`'s first `sys.path` entry (the working
    # directory) cannot shadow a baseline tree.
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"child failed ({proc.returncode}):\n{code}")
    lines = out.strip().splitlines()
    stages: dict[str, Any] = json.loads(lines[-1]) if lines else {}
    return (usage.ru_utime + usage.ru_stime) * 1e3, stages


def measure(
    base: str, rounds: int, cache: str | None, baseline: str | None = None
) -> dict[str, Any]:
    best: dict[str, tuple[float, dict[str, Any]]] = {}
    probes: dict[str, tuple[str, str | None]] = {"python -c pass": ("pass", None)}
    for name, body in IMPLS.items():
        probes[name] = (CHILD.format(body=body), None)
    if baseline is not None:
        probes["stripe_async (baseline)"] = (CHILD.format(body=OURS), baseline)
    if cache is not None:
        for code, path in probes.values():  # the warm-up round that fills the cache
            run_child(code, base, SESSION_ID, API_KEY, cache=cache, path=path)
    samples: dict[str, list[float]] = {name: [] for name in probes}
    for _ in range(rounds):
        for name, (code, path) in probes.items():  # interleaved: load hits every probe alike
            cpu, stages = run_child(code, base, SESSION_ID, API_KEY, cache=cache, path=path)
            samples[name].append(cpu)
            if name not in best or cpu < best[name][0]:
                best[name] = (cpu, stages)
    startup = best["python -c pass"][0]
    result: dict[str, Any] = {"rounds": rounds, "python_startup_ms": round(startup, 1)}
    for name in probes:
        if name == "python -c pass":
            continue
        cpu, stages = best[name]
        stages["exit_ms"] = cpu - stages.pop("until_exit_ms")  # teardown at interpreter exit
        result[name] = {"process_ms": round(cpu, 1)} | {k: round(v, 1) for k, v in stages.items()}
    ours, theirs = result["stripe_async"]["process_ms"], result["stripe_python"]["process_ms"]
    result["ratio"] = round(ours / theirs, 3)
    result["ratio_minus_startup"] = round((ours - startup) / (theirs - startup), 3)
    # On a shared machine the best of each can fall in different quiet moments; the
    # ratio within each round (the probes run back to back) is steadier.
    per_round = [
        a / b for a, b in zip(samples["stripe_async"], samples["stripe_python"], strict=True)
    ]
    result["ratio_median_of_rounds"] = round(statistics.median(per_round), 3)
    if baseline is not None:
        per_round = [
            a / b
            for a, b in zip(
                samples["stripe_async"], samples["stripe_async (baseline)"], strict=True
            )
        ]
        result["vs_baseline_median_of_rounds"] = round(statistics.median(per_round), 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument(
        "--baseline",
        metavar="DIR",
        help="also measure the stripe_async package found in DIR (e.g. an earlier commit "
        "exported with `git archive <commit> stripe_async | tar -x -C DIR`)",
    )
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), "--latency", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        base = f"http://127.0.0.1:{int(server.stdout.readline())}"
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        result: dict[str, Any] = {"when": started, "load": os.getloadavg()[0]}
        with tempfile.TemporaryDirectory(prefix="cold-path-pyc-") as cache:
            result["bytecode"] = measure(base, args.rounds, cache, args.baseline)
        result["source"] = measure(base, args.rounds, None, args.baseline)
        with tempfile.TemporaryDirectory(prefix="cold-path-pyc-") as cache:
            run_child(BREAKDOWN, base, SESSION_ID, API_KEY, cache=cache)  # fills the cache
            runs = [
                run_child(BREAKDOWN, base, SESSION_ID, API_KEY, cache=cache)[1]
                for _ in range(args.rounds)
            ]
        result["breakdown"] = {k: round(min(run[k] for run in runs), 1) for k in runs[0]}
    finally:
        server.terminate()
        server.wait()
    for setting in ("bytecode", "source"):
        rows = result[setting]
        print(f"-- {setting} (best of {args.rounds}, CPU ms)")
        for name in [*IMPLS, "stripe_async (baseline)"]:
            if name not in rows:
                continue
            row = rows[name]
            print(
                f"{name:24} {row['process_ms']:7.1f}  (start {row['start_ms']:.1f}, import "
                f"{row['import_ms']:.1f}, construct {row['construct_ms']:.1f}, first retrieve "
                f"{row['first_call_ms']:.1f}, exit {row['exit_ms']:.1f})"
            )
        print(f"{'python -c pass':24} {rows['python_startup_ms']:7.1f}")
        print(
            f"ours / stripe-python: {rows['ratio']} ({rows['ratio_minus_startup']} minus "
            f"start-up; median of the rounds' ratios {rows['ratio_median_of_rounds']})"
        )
        if "vs_baseline_median_of_rounds" in rows:
            print(f"ours / baseline (median of rounds): {rows['vs_baseline_median_of_rounds']}")
    print(f"-- where stripe-async's time goes (bytecode cached, best of {args.rounds}, CPU ms)")
    for step, ms in result["breakdown"].items():
        print(f"{step:60} {ms:7.1f}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
