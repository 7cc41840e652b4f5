"""The only package with Qt widgets (plus app.py). Talks to services, never to the store."""
