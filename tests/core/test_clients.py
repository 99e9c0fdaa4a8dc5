"""The client's address: what the client itself writes in X-Forwarded-For is never
believed; behind the configured number of proxies, the address the outermost one saw."""

import pytest
from django.test import RequestFactory

from marketplace.core.clients import client_ip

SPOOFED = "198.51.100.66"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.1"),
        (0, SPOOFED, "10.0.0.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, f"{SPOOFED}, 203.0.113.9", "203.0.113.9"),
        (2, f"{SPOOFED}, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_ip(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **headers)
    assert client_ip(request) == expected
