"""The reworded tier's bulk learning pauses the cycle collector and always restores it."""

from __future__ import annotations

import gc

import pytest

from server.services.reworded import _collector_paused


def _fail_while_paused() -> None:
    with _collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a failed load")


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_while_learning_and_left_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(RuntimeError):
            _fail_while_paused()
        assert gc.isenabled() == enabled
    finally:
        (gc.enable if was else gc.disable)()
