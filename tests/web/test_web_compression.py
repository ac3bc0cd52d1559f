"""The pure core of sending static files: content coding, versions, caching."""

import gzip

import pytest

from web.compression import (
    GZIP,
    IDENTITY,
    IMMUTABLE,
    REVALIDATE,
    accepted_codings,
    cache_control,
    choose_encoding,
    compressible,
    encode_asset,
)

TEXT = b"function draw() { return 'the same line, over and over'; }\n" * 200


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, IDENTITY),
        ("", IDENTITY),
        ("gzip", GZIP),
        ("gzip, deflate, br, zstd", GZIP),  # what Chromium sends
        ("GZIP", GZIP),
        ("x-gzip", GZIP),
        ("deflate, br", IDENTITY),
        ("*", GZIP),
        ("gzip;q=0", IDENTITY),
        ("gzip;q=0.0, identity", IDENTITY),
        ("*;q=0, identity;q=1", IDENTITY),
        ("identity;q=0.5, gzip;q=0.4", IDENTITY),
        ("identity;q=0.5, gzip;q=0.6", GZIP),
        ("gzip;q=0.5, identity;q=0.5", GZIP),  # a tie: the server's preference
        ("identity", IDENTITY),
        ("br;q=1, *;q=0.1", GZIP),
        ("gzip;q=nonsense", IDENTITY),
        ("gzip;q=2", IDENTITY),
        ("gzip;q=0, identity;q=0", IDENTITY),  # nothing acceptable: identity anyway
        (" , gzip ; q=0.8 ,", GZIP),
    ],
)
def test_the_encoding_follows_the_accept_encoding_header(header, expected):
    assert choose_encoding(header, (GZIP,)) == expected


def test_nothing_offered_means_identity_whatever_is_accepted():
    assert choose_encoding("gzip, *", ()) == IDENTITY


def test_the_weights_are_read_per_coding():
    assert accepted_codings("gzip;q=0.3, br, *;q=0") == {"gzip": 0.3, "br": 1.0, "*": 0.0}


def test_text_is_compressed_once_and_decompresses_to_the_file():
    asset = encode_asset(TEXT, compress=True)
    assert asset.offered == (GZIP,)
    packed = asset.representations[GZIP]
    assert gzip.decompress(packed.body) == TEXT
    assert len(packed.body) < len(TEXT) / 10
    assert asset.encoded("gzip").body is packed.body
    assert asset.encoded(None).body is TEXT


def test_each_representation_has_its_own_etag_and_the_version_follows_the_bytes():
    asset = encode_asset(TEXT, compress=True)
    etags = {encoded.etag for encoded in asset.representations.values()}
    assert len(etags) == 2
    assert asset.representations[IDENTITY].etag == asset.version
    assert encode_asset(TEXT, compress=True).version == asset.version
    assert encode_asset(TEXT + b" ", compress=True).version != asset.version


def test_the_gzip_body_is_the_same_whenever_it_is_made():
    """mtime=0 in the header: two processes (or restarts) send identical bytes for one ETag."""
    first = encode_asset(TEXT, compress=True).representations[GZIP].body
    assert encode_asset(TEXT, compress=True).representations[GZIP].body == first


def test_a_file_that_would_not_shrink_is_offered_as_it_is():
    tiny = encode_asset(b"x", compress=True)
    assert tiny.offered == ()
    assert tiny.encoded("gzip").encoding == IDENTITY
    assert encode_asset(TEXT, compress=False).offered == ()


@pytest.mark.parametrize(
    ("mimetype", "expected"),
    [
        ("text/javascript", True),
        ("text/css", True),
        ("text/html", True),
        ("application/javascript", True),
        ("application/json", True),
        ("image/svg+xml", True),
        ("image/png", False),
        ("font/woff2", False),
        ("application/octet-stream", False),
    ],
)
def test_only_text_is_compressible(mimetype, expected):
    assert compressible(mimetype) is expected


def test_only_the_current_version_is_cached_for_a_year():
    asset = encode_asset(TEXT, compress=True)
    assert cache_control(asset.version, asset) == IMMUTABLE
    assert "max-age=31536000" in IMMUTABLE and "immutable" in IMMUTABLE
    assert cache_control(None, asset) == REVALIDATE
    assert cache_control("0123456789ab", asset) == REVALIDATE
