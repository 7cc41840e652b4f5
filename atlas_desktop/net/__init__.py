"""The one HTTP layer below sync and the online sources: address rules (plain HTTP only to
this computer, decided by address), one deadline per request, cancelling at once, size
caps, Retry-After and backoff with jitter."""
