"""The local file store behind attachments and uploaded exports (disk only)."""

import io
import os
import time
from pathlib import Path

import pytest

from src.lib.file_store import HEAD_BYTES, FileStore, FileTooLargeError


def _age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


@pytest.mark.parametrize("fan_out", [False, True])
def test_store_streams_under_a_generated_name_and_returns_the_head(
    tmp_path: Path, fan_out: bool
) -> None:
    store = FileStore(tmp_path / "files", fan_out=fan_out)
    content = os.urandom(3 * 1024 * 1024 + 5)
    name, size, head = store.store(io.BytesIO(content), max_bytes=len(content))
    assert name.isalnum()
    assert len(name) == 32
    assert (size, head) == (len(content), content[:HEAD_BYTES])
    path = store.path_of(name)
    assert path.read_bytes() == content
    assert path.parent == (tmp_path / "files" / name[:2] if fan_out else tmp_path / "files")
    store.remove(name)
    store.remove(name)  # twice: no error
    assert not path.exists()


def test_too_large_leaves_nothing_behind(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    with pytest.raises(FileTooLargeError):
        store.store(io.BytesIO(b"x" * 2048), max_bytes=2047)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["../secret", "a/b", "", "ab.cd"])
def test_names_other_than_generated_ones_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="invalid storage name"):
        FileStore(tmp_path, fan_out=True).path_of(name)


@pytest.mark.parametrize("fan_out", [False, True])
def test_old_files_and_half_written_uploads_are_found(tmp_path: Path, fan_out: bool) -> None:
    store = FileStore(tmp_path, fan_out=fan_out)
    assert store.files_older_than(0) == []
    old, *_ = store.store(io.BytesIO(b"old"), max_bytes=10)
    young, *_ = store.store(io.BytesIO(b"young"), max_bytes=10)
    _age(store.path_of(old), 2)
    dead = tmp_path / ".upload-dead"
    dead.write_bytes(b"half")
    _age(dead, 2)
    live = tmp_path / ".upload-live"
    live.write_bytes(b"half")

    assert store.files_older_than(3600) == [old]
    assert sorted(store.files_older_than(-1)) == sorted([old, young])
    assert store.remove_partial_older_than(3600) == 1
    assert not dead.exists()
    assert live.exists()
    assert FileStore(tmp_path / "missing").remove_partial_older_than(0) == 0


def test_remove_all_goes_on_past_a_file_it_cannot_remove(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    first, *_ = store.store(io.BytesIO(b"1"), max_bytes=10)
    second, *_ = store.store(io.BytesIO(b"2"), max_bytes=10)
    stuck = "0123456789abcdef0123456789abcdef"
    store.path_of(stuck).mkdir()  # unlink() of a folder fails
    assert store.remove_all([first, stuck, second, "f" * 32]) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [stuck]
