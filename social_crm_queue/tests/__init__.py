from . import test_queue_fetch
from . import test_translations
