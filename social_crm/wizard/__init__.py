from . import social_mention_convert
from . import social_crm_summary_wizard
from . import social_routing_apply
from . import social_identity_match
from . import social_mention_reply
