#!/usr/bin/env python3
"""Offcloud JSONata benchmark (part of `make bench`).

Evaluations per second of a typical Task `Arguments` template in a JSONata state (five
`{% … %}` expressions: paths into `$states.input`, `$states.context` and a variable,
plus literals), compiled once as a definition is and evaluated in-process by
`offcloud bench-states --jsonata`; target >= 200,000/s.

Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.environ.get("OFFCLOUD_BIN", str(REPO / ".build/release/offcloud")))
    parser.add_argument("--evaluations", type=int, default=int(os.environ.get("BENCH_JSONATA_EVALUATIONS", "1000000")))
    args = parser.parse_args()
    out = subprocess.run([args.bin, "bench-states", "--jsonata", "--evaluations", str(args.evaluations)],
                         capture_output=True, text=True, timeout=600)
    line = next((l for l in out.stdout.splitlines() if l.startswith("RESULT")), "")
    if not line:
        print(out.stdout + out.stderr, file=sys.stderr)
        return 1
    fields = dict(part.split("=", 1) for part in line.split()[1:])
    rate = float(fields.get("evaluations_per_sec", "0"))
    print("\nOffcloud JSONata benchmark (2 CPUs, in-process)\n")
    print(f"{'Arguments template evaluations/s (5 expressions)':<50}  {rate:>12,.0f}  "
          f">= 200,000  {'ok' if rate >= 200_000 else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
