"""The test run's own scheduling: tests sharing an expensive fixture run on one worker."""

from __future__ import annotations

import pytest
from support.xdist_groups import fixture_groups

SHARED = """
import pytest

@pytest.fixture(scope="session")
def mixed_run():
    return 1
"""


def test_tests_linked_by_a_shared_fixture_form_one_group(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(SHARED)
    items = pytester.getitems(
        """
        import pytest

        @pytest.fixture(scope="module")
        def model(mixed_run):
            return mixed_run

        def test_reads_the_model(model): pass
        def test_reads_the_run(mixed_run): pass
        def test_alone(): pass
        def test_alone_too(tmp_path): pass
        """
    )
    groups = fixture_groups(items, tests=pytester.path)
    by_name = {item.name: groups.get(item.nodeid) for item in items}
    # `model` is cheap (listed) and goes with the run it reads: both tests in one group.
    assert by_name["test_reads_the_model"] == by_name["test_reads_the_run"] == "::mixed_run"
    assert by_name["test_alone"] is None and by_name["test_alone_too"] is None


def test_an_unlisted_shared_fixture_is_an_error(pytester: pytest.Pytester) -> None:
    items = pytester.getitems(
        """
        import pytest

        @pytest.fixture(scope="module")
        def trained_forest():
            return 1

        def test_one(trained_forest): pass
        """
    )
    with pytest.raises(pytest.UsageError, match="trained_forest"):
        fixture_groups(items, tests=pytester.path)
    # A plugin's fixture (defined outside the tests) is not ours to list.
    assert fixture_groups(items, tests=pytester.path / "elsewhere") == {}
