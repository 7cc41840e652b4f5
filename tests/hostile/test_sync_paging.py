"""Issue 19.7: a catalogue pull is bounded whatever the server says.

A loopback server replays the recorded answers of ``sync-endless-pages.json``: a new cursor
and ``has_more: true`` on every page, cursors that come back, and a page of 5,000 entries
when 500 were asked for.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from atlas_desktop.domain.sync import SyncState
from tests.hostile.conftest import HOSTILE
from tests.sync_support import ScriptedServer, json_reply, make_service

ANSWERS = json.loads((HOSTILE / "sync-endless-pages.json").read_text("utf-8"))


def _endless_page(n: int) -> dict:
    return json.loads(json.dumps(ANSWERS["endless"]).replace("{n}", str(n)))


def _page_number(seen) -> int:
    since = parse_qs(urlsplit(seen.path).query).get("since", ["cursor-0"])[0]
    return int(since.rsplit("-", 1)[1]) + 1


def _catalogue_ids(library) -> list[str]:
    result = library.catalogue.search(text="", limit=None)
    return [e.id for e in library.catalogue.briefs(pks=list(result.pks))]


def test_a_server_that_never_converges_is_stopped_and_reported(library):
    with ScriptedServer(lambda seen: json_reply(200, _endless_page(_page_number(seen)))) as srv:
        service = make_service(library, max_pages=25)
        service.set_server_url(url=srv.url)
        result = service.run(explicit=True)
        assert len(srv.seen) == 25
        assert not result.ok and result.state is not SyncState.OK
        assert "still had more after 25 catalogue pages" in result.message
        assert "not working properly" in result.message
        # What arrived is kept, with its cursor: the next pull goes on from there.
        assert len(_catalogue_ids(library)) == 25
        assert result.catalogue.new and len(result.catalogue.new) == 25
        # An automatic run right after does not pull again (it waits the pull interval).
        service.run(explicit=False)
        assert len(srv.seen) == 25
        # "Sync now" goes on where the last page ended.
        service.run(explicit=True)
        assert len(srv.seen) == 50
        assert "since=cursor-25" in srv.seen[25].path


def test_the_default_cap_is_far_below_the_old_hundred_thousand(library):
    with ScriptedServer(lambda seen: json_reply(200, _endless_page(_page_number(seen)))) as srv:
        service = make_service(library)
        service.set_server_url(url=srv.url)
        result = service.run(explicit=True)
    assert len(srv.seen) == 400
    assert "still had more after 400 catalogue pages (200,000 entries)" in result.message


def test_cursors_that_come_back_stop_the_pull(library):
    cursors = ANSWERS["cycle_cursors"]

    def reply(seen):
        since = parse_qs(urlsplit(seen.path).query).get("since", [None])[0]
        index = 0 if since is None else cursors.index(since) + 1
        page = _endless_page(len(seen_paths))
        page["next_cursor"] = cursors[index]
        seen_paths.append(seen.path)
        return json_reply(200, page)

    seen_paths: list[str] = []
    with ScriptedServer(reply) as srv:
        service = make_service(library)
        service.set_server_url(url=srv.url)
        result = service.run(explicit=True)
    assert len(srv.seen) == 4
    assert "back to a page it had already sent" in result.message


def test_a_page_larger_than_the_limit_asked_for_is_refused(library):
    page = dict(ANSWERS["oversized"])
    template = page["entries"][0]
    page["entries"] = [json.loads(json.dumps(template).replace("{n}", str(i)))
                       for i in range(ANSWERS["oversized_count"])]
    with ScriptedServer(lambda seen: json_reply(200, page)) as srv:
        service = make_service(library, page_limit=500)
        service.set_server_url(url=srv.url)
        result = service.run(explicit=True)
        assert "limit=500" in srv.seen[0].path
    assert not result.ok
    assert ("a catalogue page of 5,000 entries and 0 withdrawals when at most 500 were asked "
            "for") in result.message
    assert _catalogue_ids(library) == []
