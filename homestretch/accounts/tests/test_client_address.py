import pytest

from tests.helpers import PRODUCTION_ENV, run_django

# What login throttling (axes) and allauth's rate limits take as the client's address.
CODE = """
from allauth.core.internal.httpkit import get_client_ip
from axes.helpers import get_client_ip_address  # what axes calls
from django.test import RequestFactory
request = RequestFactory().get(
    "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR={xff!r}
)
print(get_client_ip_address(request), get_client_ip(request))
"""


@pytest.mark.parametrize(
    ("proxies", "xff", "client"),
    [
        # Clients connect directly: the header is anyone's to forge and is ignored.
        ("0", "81.2.69.160", "10.0.0.2"),
        # Behind nginx, which appends the address it saw: a forged entry to its left is ignored.
        ("1", "81.2.69.160, 93.184.216.34", "93.184.216.34"),
        # A load balancer, then nginx.
        ("2", "81.2.69.160, 93.184.216.34, 10.0.0.1", "93.184.216.34"),
    ],
)
def test_the_client_address_follows_trusted_proxy_count(
    proxies: str, xff: str, client: str
) -> None:
    env = {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": proxies}
    result = run_django(env=env, code=CODE.format(xff=xff))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [client, client]
