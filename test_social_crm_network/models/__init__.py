from . import social_source
from . import social_mention
from . import res_company
