"""Checking the atlas server's address a user typed, apart from saving it.

The check may look the host name up: an ``http://`` address counts as this computer only by
the addresses its host resolves to (issue 19.8), and a name server can take its time. So the
window checks on a worker thread, never on the UI thread, nor on its writer (where every
note and star would wait behind the look-up), and saves the address once it is known good.
"""

from __future__ import annotations

from atlas_desktop.sync.urls import ServerUrlError, normalise_server_url

from .sync import SyncSettingsError


def check_server_url(url: str) -> str:
    """The address in the form it is saved in; raises :class:`SyncSettingsError` with the
    reason when it cannot be used."""
    try:
        return normalise_server_url(url)
    except ServerUrlError as exc:
        raise SyncSettingsError(str(exc)) from None
