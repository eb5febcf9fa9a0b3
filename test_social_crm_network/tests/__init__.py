from . import test_plaza
