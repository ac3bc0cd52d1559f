"""How a static file is sent: which content coding, which version, how long to cache.

Pure (bytes and header values in, decisions out, no Flask); `web.assets` is
the HTTP adapter. Each file is encoded once into its representations: the
bytes as they are and, for text, gzip (from the standard library: brotli
would need a new dependency for ~15 % fewer bytes of Plotly). A file's
version is a hash of its bytes, so a URL carrying the current version can be
cached for a year: any change to the file changes the URL.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass

GZIP = "gzip"
IDENTITY = "identity"
# zlib's default level: level 9 takes 30 % longer on Plotly for 0.2 % fewer bytes.
GZIP_LEVEL = 6
VERSION_CHARS = 12
YEAR_S = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR_S}, immutable"
# No version in the URL (the page's modules import each other by plain name):
# the browser may keep the file but asks each time whether it changed (a 304).
REVALIDATE = "no-cache"
UNNAMED_IDENTITY = 0.001  # the smallest weight a header can give: below every named coding
TEXT_TYPES = ("application/javascript", "application/json", "image/svg+xml")


def accepted_codings(accept_encoding: str) -> dict[str, float]:
    """The codings of an Accept-Encoding value with their q weights (RFC 9110, 12.5.3).

    A weight that is not a number between 0 and 1 makes its coding
    unacceptable rather than failing the request.
    """
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        if not coding:
            continue
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
                if not 0.0 <= weight <= 1.0:
                    weight = 0.0
        coding = coding.lower()
        weights["gzip" if coding == "x-gzip" else coding] = weight
    return weights


def choose_encoding(accept_encoding: str | None, offered: tuple[str, ...]) -> str:
    """The coding to send: the most wanted of `offered` (ties: the first), else identity.

    `offered` lists the codings the file has besides identity, in the
    server's order of preference. Without the header nothing is compressed.
    Identity, when the header does not name it, is always acceptable but
    ranks below any coding the client named ("gzip;q=0.8" still wants gzip).
    When the client refuses identity too, identity is still sent: a file it
    may decline to read beats a 406 for a page's script.
    """
    if not accept_encoding:
        return IDENTITY
    weights = accepted_codings(accept_encoding)
    star = weights.get("*")

    def weight(coding: str) -> float:
        if coding in weights:
            return weights[coding]
        if star is not None:
            return star
        return UNNAMED_IDENTITY if coding == IDENTITY else 0.0

    best = max((*offered, IDENTITY), key=weight)  # max keeps the first of equals
    return best if weight(best) > 0 else IDENTITY


def compressible(mimetype: str) -> bool:
    """Text compresses; images, fonts and archives already are compressed."""
    return mimetype.startswith("text/") or mimetype in TEXT_TYPES


@dataclass(frozen=True)
class Encoded:
    """One representation of a file: its body, its coding and an ETag of its own."""

    body: bytes
    encoding: str
    etag: str


@dataclass(frozen=True)
class Asset:
    """A file encoded every way it is offered; `version` is a hash of its bytes."""

    version: str
    representations: dict[str, Encoded]

    @property
    def offered(self) -> tuple[str, ...]:
        """The codings besides identity (an empty tuple: nothing to negotiate)."""
        return tuple(coding for coding in self.representations if coding != IDENTITY)

    def encoded(self, accept_encoding: str | None) -> Encoded:
        return self.representations[choose_encoding(accept_encoding, self.offered)]


def encode_asset(content: bytes, compress: bool) -> Asset:
    """Hash `content` and, if `compress` and it pays, gzip it (once: the result is kept)."""
    version = hashlib.sha256(content).hexdigest()[:VERSION_CHARS]
    representations = {IDENTITY: Encoded(content, IDENTITY, version)}
    if compress:
        # mtime=0: the same bytes give the same gzip body, whenever it was made.
        packed = gzip.compress(content, GZIP_LEVEL, mtime=0)
        if len(packed) < len(content):
            representations[GZIP] = Encoded(packed, GZIP, f"{version}-{GZIP}")
    return Asset(version, representations)


def cache_control(requested_version: str | None, asset: Asset) -> str:
    """A year for a URL naming the file's current version; otherwise ask every time.

    A URL with a stale or made-up version gets the current bytes, which must
    not be kept under that URL.
    """
    return IMMUTABLE if requested_version == asset.version else REVALIDATE
