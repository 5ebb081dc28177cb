import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import support  # noqa: E402  (needs the path above)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Let support.node_modules() see which test (fixtures included) is running, so a test
    that needs node but is not marked slow fails loudly instead of slowing `-m 'not slow'`."""
    support.CURRENT_TEST = item
    try:
        return (yield)
    finally:
        support.CURRENT_TEST = None
