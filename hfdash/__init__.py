"""hfdash: a terminal dashboard for HeyGen's v3 API."""

__version__ = "0.1.0"
