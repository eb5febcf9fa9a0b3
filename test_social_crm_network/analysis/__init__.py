"""A sentiment analyzer added by another addon: plain Python, as social_crm's own."""

from .stars import StarsAnalyzer

__all__ = ["StarsAnalyzer"]
