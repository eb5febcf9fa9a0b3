from . import social_influence_score
from . import social_source
