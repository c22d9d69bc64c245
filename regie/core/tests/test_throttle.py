"""The client address behind the trusted proxies, and the counter every limit uses."""

import pytest
from django.test import RequestFactory

from regie.core import throttle


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (1, "81.82.83.84", "1.2.3.4", "81.82.83.84"),  # no proxy: the header is the client's
        (1, "127.0.0.1", "1.2.3.4, 91.92.93.94", "91.92.93.94"),  # what the proxy appended
        (1, "127.0.0.1", "", "127.0.0.1"),
        (2, "10.0.0.5", "1.2.3.4, 91.92.93.94, 10.0.0.4", "91.92.93.94"),  # two proxies
        (2, "10.0.0.5", "91.92.93.94", "91.92.93.94"),  # fewer entries than proxies
        (0, "127.0.0.1", "1.2.3.4", "127.0.0.1"),  # no trusted proxy: never believed
        (1, "127.0.0.1", "1.2.3.4, niet-een-adres", "127.0.0.1"),
    ],
)
def test_the_client_address(settings, proxies, remote, forwarded, expected):
    settings.REGIE_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert throttle.client_ip(request) == expected


def test_the_counter_counts_per_key_and_window():
    assert [throttle.hit("a", period=60, now=120.0) for _ in range(3)] == [1, 2, 3]
    assert throttle.count("a", period=60, now=150.0) == 3
    assert throttle.count("b", period=60, now=150.0) == 0
    assert throttle.count("a", period=60, now=180.0) == 0  # the next window
