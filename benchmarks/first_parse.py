"""What the first parse of each object kind costs beyond the second: building its models.

    uv run python benchmarks/first_parse.py                       # this tree, best of 3
    uv run python benchmarks/first_parse.py --rounds 5 --tree . --tree ../main

For every object kind in Stripe's published fixtures (tests/data/fixtures3.json)
one fresh interpreter first pays pydantic's one-time set-up with a model of its
own (timed apart: "set-up", the same for every kind and every pydantic library:
its plugin lookup imports `importlib.metadata`), then imports the kind's model
module (timed: "import"), parses
the fixture with `model_validate_json` twice, and reports the first parse minus
the second ("first"): what importing and building the models that reply holds
costs (nested parts, expanded objects), the parse itself taken out. CPU time
(`time.process_time`), best of the rounds; each round runs every kind once in
every tree given, one after the other, so a busy machine weighs on all alike.

`--tree` runs another checkout of the project (its `stripe_async` first on
`sys.path`); give it more than once to compare trees side by side. Prints a
table (slowest first, by the first tree's figure) and a summary line per tree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "data" / "fixtures3.json"

CHILD = """
import json, sys, time
kind, payload = sys.argv[1], sys.stdin.buffer.read()
from stripe_async.models import StripeObject, model_for
# pydantic's one-time set-up (its plugin lookup imports importlib.metadata, its schema
# builder loads): paid by the first model of any library in the process, measured apart.
from pydantic import BaseModel
ta = time.process_time()
class Warm(BaseModel):
    x: int = 0
Warm.model_validate_json(b"{}")
t0 = time.process_time()
model = model_for(kind)
t1 = time.process_time()
model.model_validate_json(payload)
t2 = time.process_time()
model.model_validate_json(payload)
t3 = time.process_time()
modelled = model is not StripeObject
print(json.dumps({"import": t1 - t0, "first": (t2 - t1) - (t3 - t2), "modelled": modelled,
                  "setup": t0 - ta}))
"""


def payloads() -> dict[str, bytes]:
    """One fixture per object kind (the last by name, as tests/models does)."""
    resources: dict[str, Any] = json.loads(FIXTURES.read_text())["resources"]
    chosen = {data["object"]: data for _, data in sorted(resources.items())}
    return {kind: json.dumps(data).encode() for kind, data in sorted(chosen.items())}


def probe(tree: Path, kind: str, payload: bytes) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, kind],
        input=payload,
        capture_output=True,
        env=env,
        cwd=tree,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.decode().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tree", action="append", type=Path, help="a checkout (default: this)")
    parser.add_argument("--kind", action="append", help="only these kinds (default: all)")
    args = parser.parse_args()
    trees = [tree.resolve() for tree in args.tree or [HERE.parent]]
    kinds = payloads()
    if args.kind:
        kinds = {kind: kinds[kind] for kind in args.kind}
    best: dict[tuple[Path, str], dict[str, float]] = {}
    unmodelled: set[str] = set()
    for tree in trees:  # compiled modules first, so that no round pays for compiling
        for kind, payload in kinds.items():
            if not probe(tree, kind, payload)["modelled"]:
                unmodelled.add(kind)
    kinds = {kind: payload for kind, payload in kinds.items() if kind not in unmodelled}
    for _ in range(args.rounds):
        for kind, payload in kinds.items():
            for tree in trees:
                got = probe(tree, kind, payload)
                seen = best.setdefault((tree, kind), dict(got))
                seen["import"] = min(seen["import"], got["import"])
                seen["first"] = min(seen["first"], got["first"])
                seen["setup"] = min(seen["setup"], got["setup"])
    names = [str(tree) for tree in trees]
    print(f"best of {args.rounds}, CPU ms; trees: " + "; ".join(names))
    header = " | ".join(f"import {i + 1} | first {i + 1}" for i in range(len(trees)))
    print(f"| kind | {header} |")
    print("|---|" + "---:|" * (2 * len(trees)))
    order = sorted(kinds, key=lambda kind: -best[(trees[0], kind)]["first"])
    for kind in order:
        cells = " | ".join(
            f"{best[(tree, kind)]['import'] * 1000:.1f} | {best[(tree, kind)]['first'] * 1000:.1f}"
            for tree in trees
        )
        print(f"| `{kind}` | {cells} |")
    for number, tree in enumerate(trees, 1):
        firsts = [best[(tree, kind)]["first"] * 1000 for kind in kinds]
        over = sorted(
            (kind for kind in kinds if best[(tree, kind)]["first"] > 0.030),
            key=lambda kind: -best[(tree, kind)]["first"],
        )
        setup = statistics.median(best[(tree, kind)]["setup"] * 1000 for kind in kinds)
        print(
            f"tree {number}: {len(kinds)} kinds, first parse minus second: median"
            f" {statistics.median(firsts):.1f} ms, max {max(firsts):.1f} ms;"
            f" over 30 ms: {', '.join(over) or 'none'};"
            f" pydantic's one-time set-up before it (not counted): median {setup:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
