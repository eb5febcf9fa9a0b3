from . import test_ticket_conversion
from . import test_tours
