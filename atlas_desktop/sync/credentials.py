"""The server token, kept in the operating system's keyring (never in the library file).

Invariant: a token is written only to a real keyring backend. When the system has none,
saving refuses with a sentence that says so; nothing falls back to a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

#: The keyring "service"; the user name is the server's address, so each server has its own.
SERVICE: Final = "atlas-desktop"

NO_KEYRING_MESSAGE: Final = (
    "This computer has no keyring that Atlas Desktop can use (such as GNOME Keyring, KWallet, "
    "the macOS Keychain or the Windows Credential Manager), so the token cannot be saved. "
    "Atlas Desktop never writes tokens to disk; on the command line you can give it in the "
    "ATLAS_DESKTOP_TOKEN environment variable instead."
)


def token_problem(token: str) -> str | None:
    """Why a token cannot go into an ``Authorization: Bearer`` header, or None.

    Bearer tokens are visible ASCII (RFC 6750 is stricter); a space, a line break or a
    letter outside ASCII would break the header or be a pasting mistake.
    """
    if not token:
        return "The token is empty."
    if any(not ("\x21" <= ch <= "\x7e") for ch in token):
        return ("The token may contain only letters, digits and punctuation, without spaces "
                "or line breaks; check that it was copied whole.")
    return None


class CredentialError(Exception):
    """The keyring could not be used; ``str`` says why, for the user."""


@dataclass(frozen=True, slots=True)
class KeyringInfo:
    available: bool
    #: The backend's name, e.g. "SecretService Keyring", or a sentence when unavailable.
    description: str


def _usable(backend: KeyringBackend) -> bool:
    # The "fail" and "null" backends (and a chainer holding none) have priority below 1.
    try:
        priority = float(backend.priority)
    except Exception:
        return False
    if priority < 1:
        return False
    inner = getattr(backend, "backends", None)
    return inner is None or bool(inner)


class KeyringCredentials:
    """Tokens per server address in the system keyring."""

    def info(self) -> KeyringInfo:
        try:
            backend = keyring.get_keyring()
        except Exception:
            return KeyringInfo(False, NO_KEYRING_MESSAGE)
        if not _usable(backend):
            return KeyringInfo(False, NO_KEYRING_MESSAGE)
        name = getattr(backend, "name", None) or type(backend).__name__
        return KeyringInfo(True, str(name))

    def get(self, server_url: str) -> str | None:
        if not self.info().available:
            return None
        try:
            return keyring.get_password(SERVICE, server_url) or None
        except keyring.errors.KeyringError as exc:
            raise CredentialError(
                f"The keyring could not be read ({exc or type(exc).__name__}); the token "
                "was not used. Unlock the keyring and sync again.") from None

    def set(self, server_url: str, token: str) -> None:
        info = self.info()
        if not info.available:
            raise CredentialError(NO_KEYRING_MESSAGE)
        try:
            keyring.set_password(SERVICE, server_url, token)
        except keyring.errors.KeyringError as exc:
            raise CredentialError(
                f"The keyring refused to store the token ({exc or type(exc).__name__}); it "
                "was not saved anywhere.") from None

    def delete(self, server_url: str) -> None:
        if not self.info().available:
            return
        try:
            keyring.delete_password(SERVICE, server_url)
        except keyring.errors.PasswordDeleteError:
            pass  # there was none
        except keyring.errors.KeyringError as exc:
            raise CredentialError(
                f"The keyring could not remove the token ({exc or type(exc).__name__}).") from None
