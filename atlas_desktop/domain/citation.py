"""What a "copy citation" produces, as plain values shared by the services, the CLI and the GUI.

Invariants:
- ``RichText.text`` is always present; ``html`` and ``rtf`` are complete documents (an HTML
  fragment with inline styles only; an RTF document starting with ``{\\rtf1``) or None when the
  kind of output has no formatting (BibTeX, RIS, CSL-JSON).
- ``CitationCopy.failures`` names every entry that is *not* in the output, with the reason;
  everything else asked for is in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class CopyKind(StrEnum):
    """Everything the Copy menu offers for a selection."""

    #: The style's bibliography entry (several entries: one bibliography in the style's order).
    BIBLIOGRAPHY = "bibliography"
    #: The style's in-text citation, e.g. "(Heins et al., 2013)".
    IN_TEXT = "in-text"
    #: Reference, badges, the "does not prove" caveat and the snapshot reference.
    WITH_EVIDENCE = "evidence"
    #: "Cite the atlas's reading of this paper on <date>".
    SNAPSHOT = "snapshot"
    BIBTEX = "bibtex"
    RIS = "ris"
    CSL_JSON = "csl-json"

    @property
    def uses_style(self) -> bool:
        return self in (CopyKind.BIBLIOGRAPHY, CopyKind.IN_TEXT, CopyKind.WITH_EVIDENCE)


@dataclass(frozen=True, slots=True)
class RichText:
    """The same content as plain text and, when it has formatting, as HTML and RTF."""

    text: str
    html: str | None = None
    rtf: str | None = None


@dataclass(frozen=True, slots=True)
class ItemFailure:
    """An entry the citation engine could not render, and why (a sentence for the user)."""

    entry_id: str
    reason: str
    #: How a reader knows the entry (first author and year), when known.
    name: str = ""

    def describe(self) -> str:
        return f"{self.entry_id}: {self.reason}"

    def describe_for_reader(self) -> str:
        """The entry named by first author and year (the window's status bar)."""
        return f"{self.name or self.entry_id}: {self.reason}"


@dataclass(frozen=True, slots=True)
class StyleInfo:
    """A citation style as the user picks it.

    ``spec`` is what is stored as a preference and accepted by ``--style``: an alias such as
    ``apa``, an installed style id, or the path of the user's own ``.csl`` file.
    """

    spec: str
    style_id: str
    title: str
    #: For a dependent style (e.g. ``vancouver-nlm``): the independent style that renders it.
    parent_id: str | None = None
    path: str | None = None

    @property
    def label(self) -> str:
        return self.title or self.style_id


@dataclass(frozen=True, slots=True)
class RetractionWarning:
    """A retracted paper in a copy or an export: shown every time, never silenced for good
    (the command line's ``--allow-retracted`` silences one command)."""

    entry_id: str
    #: "Wakefield et al. (1998)": how a person knows the paper.
    label: str
    #: "retracted on 2010-02-06 (notice doi:10.1016/…, PMID 20137807; PubMed, Crossref)".
    notice: str

    def sentence(self) -> str:
        return (f"{self.label} [{self.entry_id}] has been RETRACTED: {self.notice}. Cite it "
                "only as a retracted paper.")


@dataclass(frozen=True, slots=True)
class CitationCopy:
    """One rendered copy: the payload, a short description, and what went wrong."""

    kind: CopyKind
    content: RichText
    #: e.g. "APA Style 7th edition bibliography, 3 entries".
    description: str
    #: Entry ids in the order they appear in the output.
    entry_ids: tuple[str, ...] = ()
    failures: tuple[ItemFailure, ...] = ()
    #: Things the user should check before publishing (incomplete data), one sentence each,
    #: naming entries by id (the command line's).
    warnings: tuple[str, ...] = field(default=())
    #: The same sentences naming entries by first author and year (the window's).
    reader_warnings: tuple[str, ...] = field(default=())
    #: Retracted papers among the entries (shown every time they are copied).
    retracted: tuple[RetractionWarning, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.content.text.strip()

    def summary(self, *, for_reader: bool = False) -> str:
        """A status-bar sentence: what was copied and what was left out (``for_reader``:
        naming entries by first author and year, not by id)."""
        parts = [f"Copied {self.description}."]
        if self.failures:
            left_out = "; ".join(f.describe_for_reader() if for_reader else f.describe()
                                 for f in self.failures)
            parts.append(f"Left out {len(self.failures)}: {left_out}")
        return " ".join(parts)
