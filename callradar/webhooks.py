"""Which chat webhook URLs a member may give: the server POSTs to them, so they are checked.

A contact's ``notify`` list is written by members (their profile form) and by the cluster
office (the competence map), and the server sends to each URL on its own network. Unchecked,
that is a server-side request forgery: ``json://169.254.169.254/…`` reaches the cloud's
metadata service, ``json://127.0.0.1:5432/`` local services, ``mailto://`` any mail server.
So a member's URL must name one of a few chat services, and:

- the services with a fixed server (Slack, Discord, Telegram, Google Chat) go only there;
- the self-hosted ones (Mattermost, Matrix, Rocket.Chat, Microsoft Teams workflows, generic
  JSON/form/XML webhooks) must use HTTPS and a host whose every address is public, checked
  when the URL is saved and again before each message (DNS answers change), and the message
  goes to the addresses checked, not to whatever the host's DNS answers a moment later;
- the hosts in ``CALLRADAR_WEBHOOK_ALLOWED_HOSTS`` (the operator's own chat server on the
  internal network) are exempt from both.

The URL is judged by the notifier Apprise itself makes of it (its host as Apprise reads it),
so an address that parses one way here and another way in Apprise cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import apprise
import urllib3.util.connection
from apprise import AppriseResult
from apprise.plugins.custom_form import NotifyForm
from apprise.plugins.custom_json import NotifyJSON
from apprise.plugins.custom_xml import NotifyXML
from apprise.plugins.discord import NotifyDiscord
from apprise.plugins.google_chat import NotifyGoogleChat
from apprise.plugins.matrix import NotifyMatrix
from apprise.plugins.mattermost import NotifyMattermost
from apprise.plugins.rocketchat import NotifyRocketChat
from apprise.plugins.slack import NotifySlack
from apprise.plugins.telegram import NotifyTelegram
from apprise.plugins.workflows import NotifyWorkflows
from urllib3.exceptions import LocationParseError
from urllib3.util.url import parse_url

# Apprise builds these services' addresses from their own fixed host names.
FIXED_SERVER = (NotifySlack, NotifyDiscord, NotifyTelegram, NotifyGoogleChat)
# These talk to the host the URL names.
OWN_SERVER = (
    NotifyMattermost,
    NotifyMatrix,
    NotifyRocketChat,
    NotifyWorkflows,
    NotifyJSON,
    NotifyForm,
    NotifyXML,
)
ACCEPTED = (
    "slack://, discord://, tgram://, gchat://, or over HTTPS with a public host: "
    "workflows:// (Microsoft Teams), mmosts:// (Mattermost), matrixs://, rockets:// "
    "(Rocket.Chat), jsons://, forms://, xmls://"
)
# Upper bounds on what a URL's own ?cto= / ?rto= may ask, in seconds: a sender waiting on
# one slow host holds every message after it.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0

Resolver = Callable[[str], list[str]]


class WebhookRefused(ValueError):
    """A member's webhook URL the server will not send to; the message says why."""


def resolve(host: str) -> list[str]:
    """Every address ``host`` has now (OSError when it has none)."""
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})


@dataclass(frozen=True, slots=True)
class CheckedWebhook:
    """A member's webhook made safe to send with: its notifier, and the addresses its host
    was found to have (none when nothing is to be pinned: a fixed service, a host written as
    an address, an allowed host)."""

    notifier: apprise.Apprise
    host: str
    addresses: tuple[str, ...]

    def notify(self, **message: Any) -> AppriseResult:
        """Send with Apprise, connecting to the host's checked addresses only."""
        if not self.addresses:
            return self.notifier.notify(**message)
        with pinned(self.host, self.addresses):
            return self.notifier.notify(**message)


def checked_notifier(
    url: str,
    allowed_hosts: Collection[str],
    *,
    must_resolve: bool,
    resolver: Resolver | None = None,
) -> CheckedWebhook:
    """A member's webhook ``url`` made safe to send with, or WebhookRefused.
    ``must_resolve``: a host name that has no address now is refused (at send time); else it
    passes (when saving: it is checked again before each message)."""
    notifier = apprise.Apprise()
    # Apprise reads several URLs out of one string ("slack://…, json://…"): exactly one.
    if not notifier.add(url) or len(notifier) != 1:
        raise WebhookRefused("not a notification URL Apprise knows")
    plugin = notifier[0]
    host = (getattr(plugin, "host", None) or "").strip("[]").rstrip(".").lower()
    trusted = bool(host) and host in {h.lower() for h in allowed_hosts}
    addresses: tuple[str, ...] = ()
    if isinstance(plugin, OWN_SERVER) and not trusted:
        if not plugin.secure:
            raise WebhookRefused(f"must use HTTPS ({ACCEPTED})")
        addresses = _check_public(host, must_resolve, resolver or resolve)
    elif not isinstance(plugin, FIXED_SERVER + OWN_SERVER):
        raise WebhookRefused(f"not a chat service members may use; use {ACCEPTED}")
    # A redirect would lead past the host check; a URL's own options may not undo TLS
    # checks nor make the sender wait long.
    plugin.redirects = False
    if not trusted:
        plugin.verify_certificate = True
    plugin.socket_connect_timeout = min(plugin.socket_connect_timeout, CONNECT_TIMEOUT)
    plugin.socket_read_timeout = min(plugin.socket_read_timeout, READ_TIMEOUT)
    if isinstance(plugin, NotifyMatrix):
        # Discovery asks the host where its real server is, and would then go there.
        plugin.discovery = False
    return CheckedWebhook(notifier, host, addresses)


def check_webhook(
    url: str, allowed_hosts: Collection[str], resolver: Resolver | None = None
) -> None:
    """Raise WebhookRefused when a member may not save ``url`` as a webhook."""
    checked_notifier(url, allowed_hosts, must_resolve=False, resolver=resolver)


def _check_public(host: str, must_resolve: bool, resolver: Resolver) -> tuple[str, ...]:
    """Refuse a host with an address that is not public; the addresses of a name, checked,
    to connect to (none for a host written as an address, or a name with none yet)."""
    if not host:
        raise WebhookRefused("names no host")
    addresses = _numeric(host)
    named = not addresses
    if named:
        try:
            addresses = [ipaddress.ip_address(a.partition("%")[0]) for a in resolver(host)]
        except OSError:
            if must_resolve:
                raise WebhookRefused(f"host {host} has no address now") from None
            return ()
    for address in addresses:
        if not _public(address):
            raise WebhookRefused(
                f"host {host} is a private, loopback or link-local address ({address}); "
                "ask the operator to allow it (CALLRADAR_WEBHOOK_ALLOWED_HOSTS)"
            )
    return tuple(str(a) for a in addresses) if named else ()


def _numeric(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The address a host written as numbers stands for, read as the C library reads it
    when connecting ("2130706433" and "0x7f.1" are 127.0.0.1); empty for a name."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        return [ipaddress.IPv4Address(socket.inet_aton(host))]
    except OSError:
        return []


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address inside an IPv6 one reaches that IPv4 address.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return _public(embedded)
    return address.is_global and not address.is_multicast


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


# Host names pinned to the addresses checked, for the message being sent in this context.
# A context variable: Apprise sends from worker threads, with the caller's context copied.
_PINS: ContextVar[Mapping[str, tuple[str, ...]] | None] = ContextVar("webhook_pins", default=None)
_connect_unpinned = urllib3.util.connection.create_connection


@contextmanager
def pinned(host: str, addresses: Sequence[str]) -> Iterator[None]:
    """While inside, connections that requests (under Apprise) opens to ``host`` go to
    ``addresses`` only, with the host's name still in the Host header, TLS's SNI and the
    certificate check. Resolving the name again when connecting would let a DNS answer that
    changed after the check (rebinding) lead the message into the server's own network."""
    names = {_host_key(host)}
    with suppress(LocationParseError):
        # urllib3 connects to the host as it normalised it (IDNA, lower case).
        names.add(_host_key(parse_url(f"https://{host}").host or host))
    if urllib3.util.connection.create_connection is not _connect_pinned:
        # urllib3's connections call it through its module: one hook covers every request.
        urllib3.util.connection.create_connection = _connect_pinned
    token = _PINS.set({**(_PINS.get() or {}), **dict.fromkeys(names, tuple(addresses))})
    try:
        yield
    finally:
        _PINS.reset(token)


def _host_key(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()


def _connect_pinned(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
    host, port = address
    addresses = (_PINS.get() or {}).get(_host_key(host))
    if addresses is None:
        return _connect_unpinned(address, *args, **kwargs)
    error: OSError | None = None
    for pinned_address in addresses:
        try:
            return _connect_unpinned((pinned_address, port), *args, **kwargs)
        except OSError as exc:
            error = exc
    raise error or OSError(f"host {host} has no checked address")
