"""The HTTP client side of the atlas API: outbox sender and catalogue pull."""
