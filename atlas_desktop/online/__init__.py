"""Online sources that complete records: PubMed (E-utilities), Crossref and doi.org.

Only identifiers (PMIDs, DOIs) are ever sent. HTTP goes through :mod:`atlas_desktop.net`;
no SQL here: the services store what these modules return.
"""
