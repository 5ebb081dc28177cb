"""The test helpers themselves: a golden comparison must be able to fail, also while
updating, and a test that needs node must be marked slow."""

from __future__ import annotations

import pytest
import support
from support import UPDATE_GOLDEN, assert_golden


def test_golden_match_passes_and_writes_nothing(tmp_path, monkeypatch):
    golden = tmp_path / "out.golden"
    golden.write_bytes(b"same\n")
    for update in ("0", "1"):
        monkeypatch.setenv(UPDATE_GOLDEN, update)
        assert_golden("same\n", golden)
    assert golden.read_bytes() == b"same\n"


def test_golden_mismatch_fails_and_leaves_the_file(tmp_path, monkeypatch):
    monkeypatch.delenv(UPDATE_GOLDEN, raising=False)
    golden = tmp_path / "out.golden"
    golden.write_bytes(b"old\n")
    with pytest.raises(AssertionError, match="rerun with SCHEMAFIX_UPDATE_GOLDEN=1"):
        assert_golden("new\n", golden)
    assert golden.read_bytes() == b"old\n"


def test_golden_mismatch_fails_even_while_updating(tmp_path, monkeypatch):
    """With the update variable set a mismatch writes the new golden file and still
    fails; only the next run, comparing against what was written, passes."""
    monkeypatch.setenv(UPDATE_GOLDEN, "1")
    golden = tmp_path / "out.golden"
    golden.write_bytes(b"old\n")
    with pytest.raises(pytest.fail.Exception, match="updated.*rerun the tests without SCHEMAFIX_UPDATE_GOLDEN"):
        assert_golden("new\n", golden)
    assert golden.read_bytes() == b"new\n"
    assert_golden("new\n", golden)  # the rerun passes


def test_missing_golden_file_fails_with_or_without_update(tmp_path, monkeypatch):
    golden = tmp_path / "sub" / "out.golden"
    monkeypatch.delenv(UPDATE_GOLDEN, raising=False)
    with pytest.raises(pytest.fail.Exception, match="missing"):
        assert_golden("new\n", golden)
    assert not golden.exists()
    monkeypatch.setenv(UPDATE_GOLDEN, "1")
    with pytest.raises(pytest.fail.Exception, match="created"):
        assert_golden("new\n", golden)
    assert golden.read_bytes() == b"new\n"


def test_golden_comparison_is_byte_exact(tmp_path, monkeypatch):
    monkeypatch.delenv(UPDATE_GOLDEN, raising=False)
    golden = tmp_path / "out.golden"
    golden.write_bytes(b"line\r\n")
    with pytest.raises(AssertionError):
        assert_golden("line\n", golden)


def test_conftest_tells_support_which_test_runs(request):
    assert support.CURRENT_TEST is request.node


def test_node_needs_the_slow_marker(request):
    """This test is not marked slow, so asking for node fails it before npm or node are
    even looked for: the marker cannot rot as oracle tests are added."""
    with pytest.raises(pytest.fail.Exception, match="needs node/npm .* is not marked slow"):
        support.node_modules()
    request.node.add_marker(pytest.mark.slow)
    support.require_slow_marker("node/npm")  # marked now: allowed
