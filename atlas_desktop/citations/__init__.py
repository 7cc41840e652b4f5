"""Citation rendering (CSL styles through citeproc-js) and clipboard payloads."""
