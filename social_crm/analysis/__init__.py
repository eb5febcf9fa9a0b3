"""Text analysis of mentions: language, sentiment, consumer-cycle category.

Plain Python with relative imports only and no Odoo import, so that
``tools/`` scripts and fast tests can load it from ``social_crm/`` directly.
"""

from .categories import CATEGORY_CODES, PRIORITY, CategoryResult, classify
from .default_rules import DEFAULT_CATEGORIES, DEFAULT_RULES
from .language import SUPPORTED_LANGUAGES, detect_language, normalize_language
from .sentiment import (
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    Analyzer,
    SentimentAnalyzer,
    SentimentResult,
    label_for,
)

__all__ = [
    "CATEGORY_CODES",
    "DEFAULT_CATEGORIES",
    "DEFAULT_RULES",
    "NEGATIVE_THRESHOLD",
    "POSITIVE_THRESHOLD",
    "PRIORITY",
    "SUPPORTED_LANGUAGES",
    "Analyzer",
    "CategoryResult",
    "SentimentAnalyzer",
    "SentimentResult",
    "classify",
    "detect_language",
    "label_for",
    "normalize_language",
]
