"""Merging a note edited in the window with the same note saved elsewhere (issue 19.10)."""

from __future__ import annotations

import pytest

from atlas_desktop.domain.note_merge import BOTH_KEPT, merge_notes


@pytest.mark.parametrize(("base", "theirs", "ours", "merged"), [
    ("a", "a", "a b", "a b"),  # nothing changed elsewhere
    ("a", "a c", "a", "a c"),  # nothing changed here
    ("a", "same", "same", "same"),
    ("a\nb\nc", "A\nb\nc", "a\nb\nC", "A\nb\nC"),  # different lines: both
    ("b", "a\nb", "b\nc", "a\nb\nc"),  # one added above, one below
    ("a\nb\nc\n", "A\nb\nc\n", "a\nb\nc\nd\n", "A\nb\nc\nd\n"),  # newline kept
])
def test_changes_to_different_lines_are_both_kept(base, theirs, ours, merged):
    assert merge_notes(base, theirs, ours) == merged


@pytest.mark.parametrize(("base", "theirs", "ours"), [
    ("Discuss.", "Discuss. Also X.", "Discuss. Y"),  # the same line
    ("", "from the command line", "from the window"),  # two new notes
    ("a\nb", "a\nb\nc", "a\nb\nd"),  # both added at the end
])
def test_changes_to_the_same_lines_keep_both_texts_whole(base, theirs, ours):
    assert merge_notes(base, theirs, ours) == f"{theirs}\n\n{BOTH_KEPT}\n{ours}"
