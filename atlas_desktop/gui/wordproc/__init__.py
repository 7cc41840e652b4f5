"""Word processors: the local endpoint the LibreOffice extension talks to, the quick-cite
picker, document preferences, and File → Update a document…."""
