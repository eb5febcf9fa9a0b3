from . import social_mention_report
