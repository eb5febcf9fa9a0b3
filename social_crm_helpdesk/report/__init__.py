from . import social_mention_report
from . import social_crm_summary
