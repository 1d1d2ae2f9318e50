"""The answer of the shared fixed-window counter: which windows a request is over, and how long it waits."""

from regsys_runtime.rate_limits import Place, Window, retry_after

BURST, SUSTAINED = Window("k:burst", 20, 10), Window("k:sustained", 600, 3600)


def test_a_request_over_any_limit_waits_for_the_latest_window():
    assert retry_after([Place(BURST, 20, 4), Place(SUSTAINED, 400, 3000)]) is None  # the 20th of 20: admitted
    assert retry_after([Place(BURST, 21, 4), Place(SUSTAINED, 400, 3000)]) == 4
    assert retry_after([Place(BURST, 21, 4), Place(SUSTAINED, 601, 3000)]) == 3000
    assert retry_after([Place(BURST, 21, 0)]) == 1  # never 0: the window is about to start again
