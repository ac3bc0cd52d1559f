"""The embedded broker's password file."""

import pytest
from pwdlib.hashers.argon2 import Argon2Hasher

from broker.passwords import PasswordFileError, add_user, read_users


def test_add_then_update_keeps_other_users(tmp_path):
    path = tmp_path / "passwd"
    assert add_user(path, "hub", "one") is True
    assert add_user(path, "kettle", "two") is True
    assert add_user(path, "hub", "three") is False
    assert read_users(path) == ["kettle", "hub"]
    hashes = dict(line.split(":", 1) for line in path.read_text().splitlines())
    assert Argon2Hasher().verify("three", hashes["hub"])
    assert not Argon2Hasher().verify("one", hashes["hub"])
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("name", ["", "a:b", "with space", "x" * 65])
def test_bad_user_names_are_refused(tmp_path, name):
    with pytest.raises(PasswordFileError, match="user name"):
        add_user(tmp_path / "passwd", name, "secret")
    assert not (tmp_path / "passwd").exists()


def test_empty_password_is_refused(tmp_path):
    with pytest.raises(PasswordFileError, match="empty"):
        add_user(tmp_path / "passwd", "hub", "")


def test_malformed_file_names_the_line(tmp_path):
    path = tmp_path / "passwd"
    path.write_text("# users\nhub:$argon2id$v=19$m=65536,t=3,p=4$abc$def\nkettle:plaintext\n")
    with pytest.raises(PasswordFileError, match=r"passwd:3:"):
        read_users(path)


def test_missing_file_says_how_to_make_one(tmp_path):
    with pytest.raises(PasswordFileError, match="adduser"):
        read_users(tmp_path / "nope")
