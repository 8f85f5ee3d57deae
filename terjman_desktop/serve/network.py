"""The addresses other devices of the classroom network can reach this computer at.

Read from the network interfaces (psutil, already an app dependency), so it works on a
classroom network that has no internet at all: private IPv4 addresses (a school's Wi-Fi,
a phone's hotspot) come first, loopback and link-local addresses never.
"""

from __future__ import annotations

import ipaddress
import socket


def _interface_addresses() -> list[str]:
    import psutil

    found: list[str] = []
    for entries in psutil.net_if_addrs().values():
        found += [entry.address for entry in entries if entry.family == socket.AF_INET]
    return found


def _routed_address() -> str | None:
    """The address the system would send from (no packet leaves: UDP connect only)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
            return str(probe.getsockname()[0])
    except OSError:
        return None


def lan_addresses() -> list[str]:
    """IPv4 addresses of this computer on its networks, the most likely one first."""
    candidates: list[str] = []
    routed = _routed_address()
    for address in ([routed] if routed else []) + _interface_addresses():
        try:
            ip = ipaddress.IPv4Address(address)
        except ValueError:
            continue
        if ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast:
            continue
        if address not in candidates:
            candidates.append(address)
    # Private addresses (the classroom's) before public ones; the routed one leads its kind.
    return sorted(candidates, key=lambda a: not ipaddress.IPv4Address(a).is_private)
