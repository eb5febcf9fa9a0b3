from . import helpdesk_ticket
from . import social_mention
from . import social_routing_rule
from . import social_source
