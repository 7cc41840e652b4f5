"""Finding the running Atlas Desktop, talking to it, and starting it when asked.

Atlas Desktop listens on 127.0.0.1 only and writes its port and a per-user secret to
``integration.json`` in its library folder (readable by the user alone). When it closes,
only the command that starts it on that library stays in the file, which is how the
extension can offer to start it.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

ENDPOINT_FILE = "integration.json"
NOT_RUNNING = ("Atlas Desktop is not running; start it (it opens your library) and try "
               "again.")
START_QUESTION = "Atlas Desktop is not running. Start it now? (It opens your library.)"
START_FAILED = ("Atlas Desktop could not be started from here; start it yourself and try "
                "again.")
#: How long a start may take before we give up waiting (a large library opens in seconds).
START_TIMEOUT_S = 60


class NotRunning(Exception):
    pass


class Refused(Exception):
    """Atlas Desktop answered with a sentence for the user."""


def data_dirs():
    """Where the endpoint file may be: the library folder the environment names, the one
    chosen in the app's preferences, then the platform's default."""
    out = []
    if os.environ.get("ATLAS_DESKTOP_DATA_DIR"):
        out.append(os.environ["ATLAS_DESKTOP_DATA_DIR"])
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        config = data = os.path.join(base, "AtlasDesktop", "atlas-desktop")
    elif sys.platform == "darwin":
        config = data = os.path.join(home, "Library", "Application Support", "atlas-desktop")
    else:
        config = os.path.join(os.environ.get("XDG_CONFIG_HOME") or
                              os.path.join(home, ".config"), "atlas-desktop")
        data = os.path.join(os.environ.get("XDG_DATA_HOME") or
                            os.path.join(home, ".local", "share"), "atlas-desktop")
    try:
        with open(os.path.join(config, "config.json"), encoding="utf-8") as handle:
            chosen = json.load(handle).get("data_dir")
        if isinstance(chosen, str) and chosen:
            out.append(chosen)
    except (OSError, ValueError, AttributeError):
        pass
    out.append(data)
    return out


def endpoint_info():
    """The first endpoint file found (a dict), running or not; None without one."""
    for folder in data_dirs():
        try:
            with open(os.path.join(folder, ENDPOINT_FILE), encoding="utf-8") as handle:
                info = json.load(handle)
        except (OSError, ValueError):
            continue
        if isinstance(info, dict):
            return info
    return None


def call(action, payload, timeout=900):
    """One request to the app. The picker and dialogs wait for the user: a long timeout."""
    info = endpoint_info() or {}
    if not info.get("port") or not info.get("secret"):
        raise NotRunning(NOT_RUNNING)
    request = urllib.request.Request(
        f"http://127.0.0.1:{int(info['port'])}/v1/{action}",
        data=json.dumps(payload).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json", "X-Atlas-Secret": str(info["secret"])})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return json.loads(answer.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read().decode("utf-8")).get("error")
        except (ValueError, AttributeError):
            message = None
        raise Refused(message or "Atlas Desktop refused the request.") from None
    except (urllib.error.URLError, OSError, ValueError):
        raise NotRunning(NOT_RUNNING) from None


def launch_command():
    command = (endpoint_info() or {}).get("launch")
    if isinstance(command, list) and command and all(isinstance(c, str) for c in command):
        return command
    return ["atlas-desktop"]


def start_and_wait(timeout=START_TIMEOUT_S):
    """Start Atlas Desktop and wait until it answers; False if it did not."""
    try:
        subprocess.Popen(launch_command(), start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    except OSError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            call("hello", {}, timeout=5)
            return True
        except (NotRunning, Refused):
            time.sleep(0.25)
    return False
