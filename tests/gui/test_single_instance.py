"""One window per library: a second launch asks the first to come forward."""

from __future__ import annotations

from atlas_desktop.gui.single_instance import SingleInstance, server_name


def test_second_claim_on_the_same_library_asks_the_first(qtbot, tmp_path):
    first = SingleInstance(tmp_path / "lib")
    assert first.claim()
    second = SingleInstance(tmp_path / "lib")
    with qtbot.waitSignal(first.activation_requested, timeout=5000):
        assert not second.claim()
    other = SingleInstance(tmp_path / "other-lib")
    assert other.claim()  # another library is another instance
    first.release()
    other.release()


def test_a_stale_socket_from_a_crash_is_replaced(qtbot, tmp_path):
    from PySide6.QtNetwork import QLocalServer

    name = server_name(tmp_path / "lib")
    crashed = QLocalServer()
    assert crashed.listen(name)
    crashed.close()  # as if its process had died: nobody answers any more
    survivor = SingleInstance(tmp_path / "lib")
    assert survivor.claim()
    survivor.release()
