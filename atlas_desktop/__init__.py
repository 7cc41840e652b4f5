"""Atlas Desktop: an offline-first client for the ME/CFS evidence atlas."""

__version__ = "0.1.0"
