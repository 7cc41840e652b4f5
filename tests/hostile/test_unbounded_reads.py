"""Issue 19.14: an import reads regular files only, each up to a stated limit, and a BibTeX
file cannot grow itself in memory through @string abbreviations.

FIFOs and oversized files are made by the tests (git cannot hold a FIFO, and the large files
are sparse: their size costs no disk); the @string bombs are fixtures.
"""

from __future__ import annotations

import json
import os
import threading

import pytest

from atlas_desktop.formats.bibtex import parse_bibtex
from atlas_desktop.formats.text import FormatError
from tests.conftest import run_cli_process
from tests.hostile.conftest import HOSTILE


def _import_errors(library, path) -> list[str]:
    report = library.importer.import_files(paths=[path])
    assert not report.committed
    return [e for f in report.files for e in f.errors]


def test_a_fifo_is_refused_at_once_without_a_writer(tmp_path):
    fifo = tmp_path / "refs.bib"
    os.mkfifo(fifo)
    # A real process: if the import waited for a writer, the timeout would end the test.
    proc = run_cli_process("import", str(fifo), data_dir=tmp_path / "lib", timeout=60)
    assert proc.returncode == 1
    assert "named pipe (FIFO), not a regular file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_endless_writer_is_never_read(library, tmp_path):
    fifo = tmp_path / "endless.bib"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write_forever() -> None:
        try:
            with open(fifo, "wb") as pipe:  # blocks until the import opens the other end
                pipe.write(b"@misc{endless, title = {")
                while not stop.is_set():
                    pipe.write(b"endless " * 8192)
        except (BrokenPipeError, OSError):
            pass

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    try:
        errors = _import_errors(library, fifo)
    finally:
        stop.set()
        # Unblock a writer still waiting in open() (the import never opened the pipe).
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        os.close(fd)
        writer.join(timeout=10)
    assert errors == ["This is a named pipe (FIFO), not a regular file; only files can be "
                      "imported."]


def test_a_device_and_a_folder_are_refused(library, tmp_path):
    assert _import_errors(library, "/dev/zero") == [
        "This is a device, not a regular file; only files can be imported."]
    assert _import_errors(library, tmp_path) == ["This is a folder, not a file."]


@pytest.mark.parametrize(("name", "head", "limit"), [
    ("refs.bib", b"@article{a, title = {T}}\n", "32 MB"),
    ("refs.ris", b"TY  - JOUR\nTI  - T\nER  - \n", "32 MB"),
    ("items.json", b'[{"id": "a", "type": "article-journal", "title": "T"}', "32 MB"),
])
def test_large_reference_files_are_refused_with_the_limit_named(library, tmp_path, name, head,
                                                                limit):
    path = tmp_path / name
    with open(path, "wb") as handle:  # sparse: 200 MB of size, a few blocks of disk
        handle.write(head + b" " * 70_000)  # text beyond the 64 kB the kind is read from
        handle.truncate(200_000_000)
    (error,) = _import_errors(library, path)
    assert error.startswith("The file is 200 MB;") and f"up to {limit}" in error


def test_a_bundle_read_whole_is_bounded_and_one_in_our_layout_far_less(library, tmp_path):
    entry = {"id": "a-2020", "title": "T", "authors": [], "year": 2020}
    one_line = tmp_path / "one-line.json"
    with open(one_line, "wb") as handle:
        handle.write(json.dumps({"format": "atlas-bundle", "version": 1,
                                 "entries": [entry]}).encode().rstrip(b"}]") + b", "
                     + b" " * 70_000)
        handle.truncate(70_000_000)
    (error,) = _import_errors(library, one_line)
    assert "one entry per line" in error and "up to 64 MB" in error
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.write(b'{"format": "atlas-bundle", "version": 1, "entries": [\n' + b" " * 70_000)
        handle.truncate(1_500_000_000)
    (error,) = _import_errors(library, huge)
    assert error.startswith("The file is 1500 MB; bundles are read up to 1000 MB")


@pytest.mark.parametrize(("fixture", "words"), [
    ("string-chain.bib", "abbreviation may be at most 65,536"),
    ("string-depth.bib", "more than 16 levels"),
    ("string-fanout.bib", "expand to more text than the file holds"),
])
def test_string_expansion_is_bounded(library, fixture, words):
    with pytest.raises(FormatError, match=words):
        parse_bibtex((HOSTILE / fixture).read_text())
    (error,) = _import_errors(library, HOSTILE / fixture)
    assert words in error


def test_ordinary_abbreviations_still_expand():
    parsed = parse_bibtex('@string{j = "Journal of Tests"}\n@string{jj = j # " (Online)"}\n'
                          '@article{a, journal = jj, title = {T}, month = jan}\n')
    assert parsed.errors == []
    assert parsed.entries[0].fields["journal"] == "Journal of Tests (Online)"
