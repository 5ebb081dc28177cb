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


@pytest.fixture(autouse=True)
def _cache_outside_the_project(tmp_path_factory, monkeypatch):
    """Every test's CLI runs share one cache folder of their own, outside the projects
    they build (so a tree compared before and after holds only what the run wrote), unless
    the suite runs with the cache off (SCHEMAFIX_NO_CACHE=1: CI runs it both ways).
    tests/test_cache.py checks the default location, at the project root."""
    from codemod import cache

    if not cache.switched_off():
        monkeypatch.setenv(cache.ENV_DIR, str(tmp_path_factory.mktemp("schemafix-cache")))
