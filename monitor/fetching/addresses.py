"""Which network addresses a feed's content may steer us to: the SSRF policy, pure and testable.

An item link or a redirect chosen by a remote server must not make the daemon request
``http://127.0.0.1:8080/admin`` or the cloud metadata service at ``169.254.169.254``: the page's text would
be stored, matched and alerted on, and a plain GET can already change state on an internal service. So the
addresses a *guarded* request may connect to are public ones only; loopback, link-local, private,
multicast, unspecified, reserved and otherwise non-global addresses are refused unless the operator
allow-listed them (``http.allow_private``: networks in CIDR notation or exact host names).

The check is made on the resolved addresses, never on the host name, and the connection then goes to the
address that was checked (see ``guard``), so a name that resolves differently a moment later (DNS rebinding)
gains nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from monitor.settings.models import allow_private_entry

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# IPv6 forms that carry an IPv4 address inside: checked as that IPv4 address
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class AddressRefused(Exception):
    """A guarded request would connect to an address the policy refuses (raised by ``guard``)."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        self.host = host
        self.address = address
        self.kind = kind
        super().__init__(f"{host} resolves to {address} ({kind})")


@dataclass(frozen=True)
class AddressPolicy:
    """Networks and host names a guarded request may reach although they are not public."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = frozenset()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> AddressPolicy:
        """From ``http.allow_private``: "10.0.0.0/8", "127.0.0.1", "::1", "intranet.example"; ValueError if bad."""
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for entry in entries:
            value = allow_private_entry(entry)
            if isinstance(value, str):
                hosts.add(value)
            else:
                networks.append(value)
        return cls(tuple(networks), frozenset(hosts))

    def refusal(self, host: str, address: IPAddress) -> str | None:
        """Why ``address`` (one that ``host`` resolved to) may not be reached, or None when it may."""
        if host.lower().rstrip(".") in self.hosts:
            return None
        kind = non_public_kind(address)
        reached = _embedded_ipv4(address) or address  # ::ffff:10.0.0.5 is allowed by 10.0.0.0/8
        if kind is None or any(reached in network for network in self.networks):
            return None
        return kind


def non_public_kind(address: IPAddress) -> str | None:
    """What makes ``address`` not a public internet address ("loopback", "private", …), or None."""
    address = _embedded_ipv4(address) or address
    for kind, flag in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("not globally routable", not address.is_global),
    ):
        if flag:
            return kind
    return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4 or NAT64 IPv6 address, which is where it leads."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
