#!/usr/bin/env python3
"""Writes UUID vectors for the unit tests, computed with Python's hashlib and uuid modules only.

Columns: kind, namespace, name as hex bytes, expected UUID. Kinds:
  v5    RFC 9562 UUIDv5 of (namespace, name), from uuid.uuid5 (names given as UTF-8 text) or from
        hashlib.sha1 directly (names that are arbitrary bytes)
  bare  SHA-1 of the name alone, first 16 bytes, version 5 and RFC variant bits set
"""
import hashlib
import random
import uuid

NAMESPACES = [
    uuid.NAMESPACE_DNS,
    uuid.NAMESPACE_URL,
    uuid.UUID("00000000-0000-0000-0000-000000000000"),
    uuid.UUID("ffffffff-ffff-ffff-ffff-ffffffffffff"),
    uuid.UUID("9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a"),
]

names = [
    b"",
    b"www.example.com",
    b"335517149097361411",
    b"auth0|5f7c8ec7c33c6c004bbafe82",
    b"user_2xQ8pZ3kLmN0vR7sT1uW4yB6cD9",
    b"google-oauth2|104857391827364519283",
    b"ada@example.com",
    "müller@exämple.de".encode(),
    "山田太郎".encode(),
    "emoji-\U0001F600".encode(),
    b"with\ttab",
    b"with\x00nul",
    b"\xff\xfe not utf-8",
    b"A" * 10240,
]
rng = random.Random(20261122)
for _ in range(60):
    n = rng.randrange(0, 200)
    names.append(bytes(rng.randrange(1, 256) for _ in range(n)))


def bare(name: bytes) -> uuid.UUID:
    b = bytearray(hashlib.sha1(name).digest()[:16])
    b[6] = (b[6] & 0x0F) | 0x50
    b[8] = (b[8] & 0x3F) | 0x80
    return uuid.UUID(bytes=bytes(b))


def v5(ns: uuid.UUID, name: bytes) -> uuid.UUID:
    try:
        return uuid.uuid5(ns, name.decode("utf-8"))
    except UnicodeDecodeError:
        b = bytearray(hashlib.sha1(ns.bytes + name).digest()[:16])
        b[6] = (b[6] & 0x0F) | 0x50
        b[8] = (b[8] & 0x3F) | 0x80
        return uuid.UUID(bytes=bytes(b))


for name in names:
    for ns in NAMESPACES:
        print(f"v5\t{ns}\t{name.hex()}\t{v5(ns, name)}")
    print(f"bare\t-\t{name.hex()}\t{bare(name)}")
