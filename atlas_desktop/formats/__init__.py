"""Reading and writing files: atlas pages, bundles, and (later) BibTeX, RIS, CSL-JSON."""
