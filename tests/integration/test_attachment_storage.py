"""The local file storage: a file is complete under a random key or not there at all, and a key can
never name a path outside the storage root."""
import hashlib
from io import BytesIO

import pytest

from hotline.integrations.storage import LocalStorage


class Breaks(BytesIO):
    """A stream that fails after its first chunk, like a client that hangs up mid-upload."""

    def read(self, size=-1):
        if self.tell():
            raise ConnectionResetError("client went away")
        return super().read(size)


def files_under(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def test_save_open_delete(tmp_path):
    storage = LocalStorage(tmp_path / "uploads")  # made when first needed
    data = b"%PDF-1.4\n" + bytes(range(256)) * 9000
    stored = storage.save(BytesIO(data))
    assert stored.size == len(data) and len(stored.key) == 32
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    with storage.open(stored.key) as f:
        assert f.read() == data
    assert files_under(tmp_path) == [stored.key]
    assert (tmp_path / "uploads" / stored.key[:2] / stored.key).stat().st_mode & 0o007 == 0  # not for every local user

    again = storage.save(BytesIO(data))
    assert again.key != stored.key and again.sha256 == stored.sha256  # the same content, its own file
    storage.delete(stored.key)
    storage.delete(stored.key)  # twice is fine
    assert files_under(tmp_path) == [again.key]


def test_a_broken_upload_leaves_nothing(tmp_path):
    storage = LocalStorage(tmp_path)
    with pytest.raises(ConnectionResetError):
        storage.save(Breaks(b"x" * (3 * 1024 * 1024)))
    assert files_under(tmp_path) == []


@pytest.mark.parametrize("key", ["../../etc/passwd", "/etc/passwd", "ab", "A" * 32, "0" * 31 + "/"])
def test_a_key_is_never_a_path(tmp_path, key):
    storage = LocalStorage(tmp_path)
    with pytest.raises(FileNotFoundError):
        storage.open(key)
    storage.delete(key)  # quietly nothing
