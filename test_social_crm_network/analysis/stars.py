"""Sentiment from the star rating Plaza's users put in their posts (★★★★☆)."""

from odoo.addons.social_crm.analysis.sentiment import SentimentResult, label_for


class StarsAnalyzer:
    """Follows social_crm's ``Analyzer`` protocol: five stars are +1, one is -1.

    A post without stars is neutral: this analyzer knows nothing else.
    """

    label = "Plaza stars"

    def analyze(self, text, lang=""):
        stars = text.count("★")
        if not stars:
            return SentimentResult("neutral", 0.0)
        score = (stars - 3) / 2
        return SentimentResult(label_for(score), score, 1.0, ("★" * stars,))
