"""The HTTP service: app factory, routes, the error envelope, auth, uploads, signed URLs."""

from reelwright.api.app import create_app

__all__ = ["create_app"]
