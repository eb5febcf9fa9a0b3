from . import social_mention_convert
