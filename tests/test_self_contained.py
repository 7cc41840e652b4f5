"""The tests run from a clone of the project alone: no test reads outside the repository.

Fixtures live in tests/data (with their licence notes). This scans every Python file under
tests/ for the ways a test could reach beyond the repository: the shared material beside it
(``../shared``, ``SHARED``, ``ATLAS_SHARED_DIR``), a path built upwards from the repository or
from ``__file__`` past the repository's root, or an absolute path on a development machine.
The one exception is tests/test_real_seeds.py, which compares tests/data/atlas-pages with
the atlas's real seed pages when they are there and is skipped otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
#: Allowed to read ../shared, and skipped without it.
OPTIONAL_OUTSIDE = {"tests/test_real_seeds.py"}

_NAMED: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\.\./shared|[\"']shared[\"']|[/\\]shared[/\\]"), "names the shared folder"),
    (re.compile(r"\bSHARED\b|ATLAS_SHARED_DIR|SEEDS_DIR"), "names the shared folder"),
    (re.compile(r"\b(?:REPO|ROOT|REPO_ROOT)\.parent\b"), "goes above the repository"),
    (re.compile(r"[\"'](?:/work|/home|/Users|[A-Z]:\\\\)"), "an absolute path of one machine"),
]
_PARENTS_INDEX = re.compile(r"__file__\)?(?:\.resolve\(\))?\.parents\[(\d+)\]")
_PARENT_CHAIN = re.compile(r"__file__\)?(?:\.resolve\(\))?((?:\.parent)+)")


def outside_reads(text: str, depth: int) -> list[str]:
    """What in ``text`` (a module ``depth`` folders below the repository's root) reaches
    outside the repository, one line each."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for pattern, why in _NAMED:
            if pattern.search(line):
                found.append(f"line {number}: {why}: {line.strip()}")
        for match in _PARENTS_INDEX.finditer(line):
            if int(match.group(1)) > depth:
                found.append(f"line {number}: a parent above the repository: {line.strip()}")
        for match in _PARENT_CHAIN.finditer(line):
            if match.group(1).count(".parent") > depth + 1:
                found.append(f"line {number}: a parent above the repository: {line.strip()}")
    return found


def test_the_scan_finds_what_it_looks_for():
    assert outside_reads('SEEDS = REPO.parent / "shared" / "seeds"', 1)
    assert outside_reads('path = Path(__file__).resolve().parents[3] / "x"', 2)
    assert not outside_reads('path = Path(__file__).resolve().parents[2] / "x"', 2)
    assert outside_reads("Path(__file__).parent.parent.parent / 'x'", 1)
    assert not outside_reads("Path(__file__).parent.parent / 'x'", 1)
    assert outside_reads('open("../shared/realdata/MANIFEST.txt")', 1)
    assert outside_reads('os.environ.get("ATLAS_SHARED_DIR")', 1)
    assert outside_reads('Path("/work/wt/shared/seeds")', 1)
    assert not outside_reads('DATA = Path(__file__).parent / "data" / "atlas-pages"', 1)


def test_no_test_reads_outside_the_repository():
    problems = []
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        if relative in OPTIONAL_OUTSIDE or path == Path(__file__).resolve():
            continue
        depth = len(path.relative_to(REPO).parts) - 1
        problems += [f"{relative} {p}" for p in outside_reads(path.read_text("utf-8"), depth)]
    assert not problems, "tests reaching outside the repository:\n" + "\n".join(problems)


def test_the_one_exception_is_skipped_without_the_shared_material():
    text = (REPO / "tests/test_real_seeds.py").read_text("utf-8")
    assert "pytestmark = pytest.mark.skipif(" in text and "not REAL_SEEDS.is_dir()" in text
