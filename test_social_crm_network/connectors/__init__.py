"""The Plaza network's connector: plain Python, as social_crm's own."""

from .plaza import PlazaConnector

__all__ = ["PlazaConnector"]
