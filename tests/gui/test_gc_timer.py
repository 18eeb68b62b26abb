"""Cyclic garbage is collected on the GUI thread by the timer, never automatically elsewhere."""

from __future__ import annotations

import gc

from desktop_app.gui.gc_timer import MainThreadCollector


def test_collector_takes_over_collection_and_gives_it_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    collector = MainThreadCollector()
    try:
        assert not gc.isenabled()
        for _ in range(collector.thresholds[0] + 50):
            node: list[object] = []
            node.append(node)  # a reference cycle only the cyclic collector frees
        del node
        assert collector.collect() > 0
        with qtbot.waitSignal(collector.timer.timeout, timeout=5_000):
            pass
    finally:
        collector.stop()
    assert gc.isenabled()
