"""Shared state of one benchmark run: generated bundles and imported libraries."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import Library, open_library

from .synth import write_bundle


@dataclass
class BenchContext:
    root: Path
    sizes: list[int]
    bundles: dict[int, Path] = field(default_factory=dict)
    libraries: dict[int, Path] = field(default_factory=dict)
    import_seconds: dict[int, float] = field(default_factory=dict)
    maintain_seconds: dict[int, float] = field(default_factory=dict)

    def bundle(self, size: int) -> Path:
        if size not in self.bundles:
            self.bundles[size] = write_bundle(self.root / f"bundle-{size}.json", size)
        return self.bundles[size]

    def library_dir(self, size: int) -> Path:
        """A library folder holding ``size`` synthetic entries (imported once, then reused)."""
        if size not in self.libraries:
            bundle = self.bundle(size)
            data_dir = self.root / f"library-{size}"
            library = open_library(LibraryPaths(data_dir))
            started = time.perf_counter()
            report = library.importer.import_files(paths=[bundle])
            self.import_seconds[size] = time.perf_counter() - started
            assert report.committed and not report.errors, report.errors
            started = time.perf_counter()
            library.maintain()
            library.close()
            self.maintain_seconds[size] = time.perf_counter() - started
            self.libraries[size] = data_dir
        return self.libraries[size]

    def open(self, size: int) -> Library:
        return open_library(LibraryPaths(self.library_dir(size)), check="skip")


def timings_ms(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return summarise(samples)


def summarise(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ordered[-1], 2),
        "n": len(ordered),
    }
