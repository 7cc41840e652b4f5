"""Sync settings: the server address, and the token kept only in the OS keyring."""

from __future__ import annotations

import pytest

from atlas_desktop.services.sync import SyncSettingsError
from tests.sync_support import (
    ScriptedServer,
    empty_page,
    make_service,
    memory_keyring,  # noqa: F401 - fixture
    no_keyring,  # noqa: F401 - fixture
)

TOKEN = "tok-7f3a9c1e-never-on-disk"


def library_bytes(library) -> bytes:
    folder = library.paths.data_dir
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())


def test_the_address_is_checked_and_normalised(library):
    with pytest.raises(SyncSettingsError, match="https"):
        library.sync.set_server_url(url="http://atlas.example.org/api")
    assert library.sync.server_url() is None
    saved = library.sync.set_server_url(url="https://atlas.example.org/api/")
    assert saved == library.sync.server_url() == "https://atlas.example.org/api"
    library.sync.set_server_url(url="  ")
    assert library.sync.server_url() is None


def test_without_a_keyring_the_token_is_refused_and_nothing_is_written(library, no_keyring):  # noqa: F811
    library.sync.set_server_url(url="https://atlas.example.org/api")
    info = library.sync.keyring_info()
    assert not info.available and "no keyring" in info.description
    with pytest.raises(SyncSettingsError, match="never writes tokens to disk"):
        library.sync.set_token(token=TOKEN)
    assert TOKEN.encode() not in library_bytes(library)
    assert library.sync.has_token() is False


def test_the_token_goes_to_the_keyring_and_is_sent_as_a_bearer(library, memory_keyring):  # noqa: F811
    with ScriptedServer(lambda seen: empty_page()) as server:
        service = make_service(library)
        with pytest.raises(SyncSettingsError, match="address first"):
            service.set_token(token=TOKEN)
        service.set_server_url(url=server.url)
        service.set_token(token=f"  {TOKEN}\n")
        assert memory_keyring.store == {("atlas-desktop", server.url): TOKEN}
        assert service.has_token()
        service.run(explicit=True)
        assert server.seen[0].headers["authorization"] == f"Bearer {TOKEN}"
        assert TOKEN.encode() not in library_bytes(library)
        service.set_token(token=None)
        assert memory_keyring.store == {}
        service.run(explicit=True)
        assert "authorization" not in server.seen[-1].headers


def test_a_token_that_cannot_go_in_a_header_is_refused(library, memory_keyring):  # noqa: F811
    library.sync.set_server_url(url="https://atlas.example.org")
    for bad in ("two words", "line\nbreak", "café"):
        with pytest.raises(SyncSettingsError, match="copied whole"):
            library.sync.set_token(token=bad)
    assert memory_keyring.store == {}
    result = library.sync.run(explicit=True, token="with space")
    assert result.state.value == "refused" and "Nothing was sent" in result.message


def test_a_token_belongs_to_its_server(library, memory_keyring):  # noqa: F811
    library.sync.set_server_url(url="https://one.example.org")
    library.sync.set_token(token="for-one")
    library.sync.set_server_url(url="https://two.example.org")
    assert not library.sync.has_token()
    library.sync.set_server_url(url="https://one.example.org")
    assert library.sync.has_token()
