"""Members' chat webhook URLs: only chat services, never the server's own network."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from callradar.webhooks import WebhookRefused, check_webhook, checked_notifier, pinned
from matching.channels import DeliveryError, Envelope, Webhook
from matching.messages import Message

ADDRESSES = {
    "chat.cluster.example": ["93.184.216.34"],
    "rebound.example": ["93.184.216.34", "10.0.0.7"],
    "metadata.example": ["169.254.169.254"],
    "v6.example": ["2a00:1450:4001::1", "::ffff:127.0.0.1"],
}


def fake_dns(host: str) -> list[str]:
    if host not in ADDRESSES:
        raise OSError(f"no such host {host}")
    return ADDRESSES[host]


ACCEPTED = [
    "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ",
    "https://hooks.slack.com/services/T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ",
    "discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js",
    "tgram://123456789:abcdefg_hijklmnop/12315544/",
    "gchat://workspace/key/token",
    "mmosts://chat.cluster.example/3ccdd113474722377935511fc85d3dd4",
    "matrixs://bot:secret@chat.cluster.example/#cluster",
    "rockets://bot:secret@chat.cluster.example/#cluster",
    "workflows://chat.cluster.example/abcd/efgh",
    "jsons://chat.cluster.example/hooks/radar",
    "jsons://93.184.216.34:8443/hooks/radar",
    # A name with no address now is checked again before each message.
    "jsons://not-yet.example/hooks/radar",
]

REFUSED = {
    "json://chat.cluster.example/hook": "must use HTTPS",
    "jsons://metadata.example/latest": "link-local",
    "jsons://169.254.169.254/latest/meta-data": "link-local",
    "jsons://127.0.0.1:5432/": "loopback",
    "jsons://2130706433/": "loopback",  # 127.0.0.1 as one number
    "jsons://[::ffff:10.0.0.1]/": "private",
    "jsons://[fe80::1]/": "link-local",
    "jsons://rebound.example/": "10.0.0.7",  # one private address among public ones
    "jsons://v6.example/": "::ffff:7f00:1",  # 127.0.0.1
    # Apprise reads the host after the backslash: the one it would reach is judged.
    "jsons://chat.cluster.example\\@127.0.0.1/": "loopback",
    # Two URLs in one: Apprise would send to both.
    "slack://T1/B1/C1, json://169.254.169.254/x": "not a notification URL",
    "mailto://user:pw@smtp.internal": "not a chat service",
    "syslog://": "not a chat service",
    "ntfys://topic": "not a chat service",
    "not a url": "not a notification URL",
}


@pytest.mark.parametrize("url", ACCEPTED)
def test_chat_services_are_accepted(url: str) -> None:
    check_webhook(url, frozenset(), resolver=fake_dns)


@pytest.mark.parametrize("url", list(REFUSED))
def test_anything_reaching_the_servers_own_network_is_refused(url: str) -> None:
    with pytest.raises(WebhookRefused, match=REFUSED[url].replace("\\", "\\\\")):
        check_webhook(url, frozenset(), resolver=fake_dns)


def test_the_operator_may_allow_an_internal_chat_server() -> None:
    check_webhook("json://10.0.0.5:8065/hooks/x", frozenset({"10.0.0.5"}), resolver=fake_dns)
    check_webhook("mmost://chat.internal/hooks/x", frozenset({"chat.internal"}))
    with pytest.raises(WebhookRefused):
        check_webhook("json://10.0.0.6/hooks/x", frozenset({"10.0.0.5"}), resolver=fake_dns)


def test_at_send_time_a_host_must_resolve_and_options_cannot_loosen_the_checks() -> None:
    with pytest.raises(WebhookRefused, match="no address"):
        checked_notifier(
            "jsons://not-yet.example/", frozenset(), must_resolve=True, resolver=fake_dns
        )
    notifier = checked_notifier(
        "jsons://chat.cluster.example/h?redirect=yes&verify=no&cto=600&rto=600",
        frozenset(),
        must_resolve=True,
        resolver=fake_dns,
    )
    plugin = notifier.notifier[0]
    assert not plugin.redirects  # a redirect would lead past the host check
    assert plugin.verify_certificate
    assert plugin.socket_connect_timeout <= 10 and plugin.socket_read_timeout <= 30
    matrix = checked_notifier(
        "matrixs://bot:pw@chat.cluster.example/#room",
        frozenset(),
        must_resolve=True,
        resolver=fake_dns,
    )
    assert not matrix.notifier[0].discovery  # .well-known would name another server


def test_a_message_goes_to_the_address_checked_not_to_a_later_dns_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DNS rebinding: the host answers a public address when checked and a private one
    when the sender connects. The sender must connect to the address it checked."""
    system = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def rebinding_dns(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "rebinding.example":
            # The first answer passes the check, every later one is the server's own.
            return system(next(answers, "127.0.0.1"), port, *args, **kwargs)
        return system(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        webhook = Webhook(f"jsons://rebinding.example:{port}/hook?cto=1&rto=1", frozenset())
        envelope = Envelope(
            Message(subject="s", text="t", html="<p>t</p>", language="en"), "n", "a@b.c", "k", ""
        )
        with pytest.raises(DeliveryError):
            webhook.send(envelope)
        with pytest.raises(TimeoutError):
            listener.accept()  # nothing reached the private address


@pytest.fixture
def host_headers() -> Iterator[tuple[int, list[str]]]:
    """A loopback HTTP server: its port, and the Host header of each request it got."""
    seen: list[str] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            seen.append(self.headers.get("Host", ""))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


def test_a_pinned_host_is_reached_at_its_address_under_its_own_name(
    host_headers: tuple[int, list[str]],
) -> None:
    port, seen = host_headers
    # The name resolves nowhere: only the pin can take the request to the server.
    with pinned("Chat.Pinned.Example.", ["127.0.0.1"]):
        assert requests.get(f"http://chat.pinned.example:{port}/x", timeout=5).status_code == 204
    assert seen == [f"chat.pinned.example:{port}"]
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://chat.pinned.example:{port}/x", timeout=5)
