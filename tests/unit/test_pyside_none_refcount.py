"""Regression guard for PySide6 6.12.0 on CPython 3.11, which takes a reference from None on
every call of a Qt method that returns nothing and aborts the process after ~5,000 calls
("Fatal Python error: none_dealloc"). pyproject.toml pins PySide6 below 6.12 for this."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer


def test_void_qt_calls_do_not_consume_references_to_none(qapp):
    # pytest-qt's application (a QApplication): a bare QCoreApplication made here would be
    # the process's only one, and later widget tests in the same run could not start.
    app = qapp
    obj = QObject()
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(10_000):
        obj.setObjectName("x")
        timer.stop()
        app.processEvents()
    after = sys.getrefcount(None)
    # Other threads may create or drop a few references meanwhile; the fault loses 30,000.
    assert after >= before - 100, f"None lost {before - after} references"
