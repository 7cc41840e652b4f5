"""``make bench``: performance figures as one JSON object on standard output.

Each ``bench_*.py`` module here has ``run(ctx) -> dict``; its figures appear under the module's
name. Libraries are generated once into a temporary folder and shared. Progress goes to stderr.

    python -m benchmarks                 # everything
    python -m benchmarks library gui     # only these sections
    BENCH_SIZES=10000 python -m benchmarks library   # smaller libraries (quick look)
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sys
import tempfile
import time
from pathlib import Path

from .context import BenchContext

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    sizes = [int(x) for x in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
    modules = sorted(m.name for m in pkgutil.iter_modules([str(HERE)])
                     if m.name.startswith("bench_"))
    results: dict[str, object] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "sizes": sizes,
    }
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        ctx = BenchContext(Path(tmp), sizes)
        for name in modules:
            section = name.removeprefix("bench_")
            if wanted and section not in wanted:
                continue
            print(f"[bench] {section} …", file=sys.stderr, flush=True)
            started = time.perf_counter()
            module = importlib.import_module(f"benchmarks.{name}")
            results[section] = module.run(ctx)
            print(f"[bench] {section} done in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr, flush=True)
    json.dump(results, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
