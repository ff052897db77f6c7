"""PageViewClock: visible time per page, with covered time and short views left out.

The clock is a function returning seconds, moved by hand: nothing here sleeps.
"""

from __future__ import annotations

import pytest

from readingroom.page_view_clock import PAGE_CHANGE, Cover, PageView, PageViewClock


class Seconds:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def _shown(seconds: Seconds, *, min_seconds: float = 0.3) -> PageViewClock:
    clock = PageViewClock(min_seconds=min_seconds, monotonic=seconds, zoom=1.5)
    clock.uncover(Cover.NOT_SHOWN)
    return clock


def test_nothing_runs_before_the_window_is_shown() -> None:
    seconds = Seconds()
    clock = PageViewClock(monotonic=seconds)
    seconds.now += 30
    assert not clock.is_running()
    assert clock.show_page(1, 1.0) is None  # page 0 was never on screen
    assert clock.visible_seconds() == 0.0
    clock.uncover(Cover.NOT_SHOWN)
    seconds.now += 4
    assert clock.show_page(2, 1.0) == PageView(1, 1.0, 4.0, PAGE_CHANGE)


def test_a_page_change_ends_the_view_with_its_time_and_zoom() -> None:
    seconds = Seconds()
    clock = _shown(seconds)
    seconds.now += 12.5
    clock.set_zoom(2.0)
    assert clock.show_page(3, 2.0) == PageView(0, 2.0, 12.5, "page change")
    seconds.now += 7
    assert clock.stop() == PageView(3, 2.0, 7.0, "session end")
    assert clock.page_seconds() == {0: 12.5, 3: 7.0}
    assert clock.visible_seconds() == 19.5
    assert clock.kept == 2 and clock.dropped == 0


def test_showing_the_same_page_again_does_not_split_the_view() -> None:
    seconds = Seconds()
    clock = _shown(seconds)
    seconds.now += 2
    assert clock.show_page(0, 1.25) is None
    seconds.now += 3
    assert clock.stop() == PageView(0, 1.25, 5.0, "session end")


@pytest.mark.parametrize("reason", [Cover.IDLE_LOCK, Cover.AWAY])
def test_time_under_a_curtain_is_not_counted(reason: Cover) -> None:
    seconds = Seconds()
    clock = _shown(seconds)
    seconds.now += 10
    assert clock.cover(reason) == PageView(0, 1.5, 10.0, reason.value)
    seconds.now += 600  # under the idle lock, or away from the application
    assert clock.visible_seconds() == 10.0
    clock.uncover(reason)
    seconds.now += 5
    assert clock.show_page(1, 1.5) == PageView(0, 1.5, 5.0, PAGE_CHANGE)
    assert clock.page_seconds() == {0: 15.0}


def test_the_page_stays_hidden_until_every_curtain_is_gone() -> None:
    seconds = Seconds()
    clock = _shown(seconds)
    seconds.now += 1
    clock.cover(Cover.AWAY)
    seconds.now += 60
    assert clock.cover(Cover.IDLE_LOCK) is None  # the idle lock came while away
    clock.uncover(Cover.AWAY)
    seconds.now += 60
    assert not clock.is_running()
    assert clock.show_page(2, 1.0) is None  # moving under the lock is not reading
    clock.uncover(Cover.IDLE_LOCK)
    seconds.now += 3
    assert clock.stop() == PageView(2, 1.0, 3.0, "session end")
    assert clock.page_seconds() == {0: 1.0, 2: 3.0}


def test_nothing_counts_after_the_end() -> None:
    seconds = Seconds()
    clock = _shown(seconds)
    seconds.now += 2
    clock.stop()
    clock.uncover(Cover.AWAY)
    clock.uncover(Cover.IDLE_LOCK)
    seconds.now += 100
    assert not clock.is_running()
    assert clock.show_page(1, 1.0) is None
    assert clock.visible_seconds() == 2.0


def test_views_shorter_than_the_threshold_are_dropped() -> None:
    seconds = Seconds()
    clock = _shown(seconds)
    kept = []
    for page in range(1, 6):  # scrolling past pages 0-4, 0.1 s each
        seconds.now += 0.1
        kept.append(clock.show_page(page, 1.0))
    seconds.now += 0.3  # exactly the threshold: kept
    kept.append(clock.show_page(6, 1.0))
    assert kept[:5] == [None] * 5
    assert kept[5] == PageView(5, 1.0, pytest.approx(0.3), PAGE_CHANGE)
    assert clock.dropped == 5 and clock.kept == 1
    seconds.now += 0.2
    assert clock.cover(Cover.AWAY) is None  # a flicker of the window is not a view either
    assert clock.dropped == 6


def test_the_threshold_is_configurable() -> None:
    seconds = Seconds()
    strict = _shown(seconds, min_seconds=2.0)
    every = _shown(seconds, min_seconds=0.0)
    seconds.now += 1.0
    assert strict.show_page(1, 1.0) is None
    assert every.show_page(1, 1.0) == PageView(0, 1.5, 1.0, PAGE_CHANGE)
    with pytest.raises(ValueError):
        PageViewClock(min_seconds=-1.0)


def test_running_time_is_counted_once_long_enough() -> None:
    seconds = Seconds()
    clock = _shown(seconds)
    seconds.now += 0.2
    assert clock.visible_seconds() == 0.0  # might still be a page scrolled past
    seconds.now += 19.8
    assert clock.visible_seconds() == pytest.approx(20.0)
    assert clock.pages_seen(10.0) == (0,)
    assert clock.pages_seen(30.0) == ()
