"""A tiny DNS server that answers A queries for a few names, for scripts/image-check.sh.

    fake_dns.py PORT NAME=IP[,IP...] [NAME=IP...]

It plays Docker's DNS for the nginx in docker-compose.yml: "gloss" resolving to every
replica, so the real nginx template is checked spreading requests over two replicas. Other
names get NXDOMAIN, other record types an empty answer. Listens on 127.0.0.1 (UDP) until
killed. Standard library only.
"""

from __future__ import annotations

import socket
import struct
import sys


def parse_question(packet: bytes) -> tuple[str, int, int]:
    """The queried name, its type, and where the question section ends."""
    labels, at = [], 12
    while packet[at]:
        length = packet[at]
        labels.append(packet[at + 1 : at + 1 + length].decode("ascii").lower())
        at += 1 + length
    qtype = struct.unpack("!H", packet[at + 1 : at + 3])[0]
    return ".".join(labels), qtype, at + 5


def answer(packet: bytes, records: dict[str, list[str]]) -> bytes:
    name, qtype, end = parse_question(packet)
    addresses = records.get(name)
    rcode = 3 if addresses is None else 0  # NXDOMAIN for names we do not know
    found = addresses if addresses and qtype == 1 else []
    header = packet[:2] + struct.pack("!HHHHH", 0x8180 | rcode, 1, len(found), 0, 0)
    body = b"".join(
        struct.pack("!HHHIH", 0xC00C, 1, 1, 5, 4) + socket.inet_aton(address)  # TTL 5 s
        for address in found
    )
    return header + packet[12:end] + body


def main() -> None:
    port = int(sys.argv[1])
    records = {}
    for spec in sys.argv[2:]:
        name, _, addresses = spec.partition("=")
        records[name.lower()] = addresses.split(",")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    while True:
        packet, client = sock.recvfrom(512)
        try:
            sock.sendto(answer(packet, records), client)
        except (IndexError, UnicodeDecodeError, struct.error):
            continue  # not a query we understand: no answer, the client retries or gives up


if __name__ == "__main__":
    main()
