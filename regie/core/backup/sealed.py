"""The encrypted file: AES-256-GCM in chunks, so that no backup has to fit in memory.

Layout: ``MAGIC`` (8 bytes), a random salt (32 bytes) and a key check (32 bytes), then chunks of
at most ``CHUNK`` plain bytes, each as its length (4 bytes, big-endian) and its ciphertext with
the GCM tag. The file key is derived from ``REGIE_BACKUP_KEY`` and the salt (HKDF-SHA256), so
every backup has its own key and the nonce can be the chunk's number: 8 bytes of counter and
4 bytes that are 1 for the last chunk only (the STREAM construction). Chunks cannot be reordered,
dropped or cut off unnoticed: a file without its last chunk is refused as incomplete. The header
is authenticated with every chunk; the key check (an HMAC under the file key) tells a wrong key
from a damaged file before anything is decrypted.
"""

import hashlib
import hmac
import io
import os
import struct
from collections.abc import Buffer
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.utils.translation import gettext as _

from regie.core.backup.errors import BackupError, Problem

MAGIC = b"REGIEBK\x01"
SALT_BYTES = 32
CHECK_BYTES = 32
HEADER_BYTES = len(MAGIC) + SALT_BYTES + CHECK_BYTES
CHUNK = 1024 * 1024
TAG_BYTES = 16
LENGTH = struct.Struct(">I")


def _file_key(key: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"regie backup v1").derive(
        key
    )


def _key_check(file_key: bytes) -> bytes:
    return hmac.new(file_key, b"regie backup key check", hashlib.sha256).digest()


def _nonce(counter: int, *, last: bool) -> bytes:
    return counter.to_bytes(8, "big") + (b"\x00\x00\x00\x01" if last else b"\x00\x00\x00\x00")


def corrupt() -> BackupError:
    return BackupError(
        _(
            "The backup file is damaged or incomplete (it was altered or cut off). Nothing was "
            "restored; take another copy of the backup."
        ),
        problem=Problem.CORRUPT,
    )


class SealedWriter(io.RawIOBase):
    """A write-only file that encrypts what is written to ``out`` chunk by chunk. Leaving its
    ``with`` block without an error writes the last chunk; closing it otherwise does not, so an
    interrupted backup never looks complete."""

    def __init__(self, out: BinaryIO, *, key: bytes) -> None:
        super().__init__()
        salt = os.urandom(SALT_BYTES)
        file_key = _file_key(key, salt)
        self._out = out
        self._aead = AESGCM(file_key)
        self._header = MAGIC + salt + _key_check(file_key)
        self._buffer = bytearray()
        self._counter = 0
        self._finished = False
        out.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: Buffer) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep one chunk back: the last one is marked
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return memoryview(data).nbytes

    def finish(self) -> None:
        """Write the last chunk (possibly empty); the file is complete only after this."""
        if not self._finished:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._finished = True

    def _seal(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._counter, last=last), plain, self._header)
        self._out.write(LENGTH.pack(len(sealed)) + sealed)
        self._counter += 1

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.finish()
        self.close()


class SealedReader(io.RawIOBase):
    """A read-only file giving back the plain bytes of ``source``, each chunk checked.

    Raises ``BackupError`` on a wrong key, a damaged chunk, or an end without the last chunk.
    """

    def __init__(self, source: BinaryIO, *, key: bytes) -> None:
        super().__init__()
        header = source.read(HEADER_BYTES)
        if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
            raise BackupError(
                _("This file is not a Regie backup (or not one this version of Regie can read)."),
                problem=Problem.NOT_A_BACKUP,
            )
        salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
        file_key = _file_key(key, salt)
        if not hmac.compare_digest(header[-CHECK_BYTES:], _key_check(file_key)):
            raise BackupError(
                _(
                    "The backup key does not fit this backup: REGIE_BACKUP_KEY must be the key "
                    "that was set when the backup was made. Nothing was restored."
                ),
                problem=Problem.WRONG_KEY,
            )
        self._source = source
        self._aead = AESGCM(file_key)
        self._header = header
        self._counter = 0
        self._plain = bytearray()  # deleting from its front is cheap
        self._ended = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while not self._ended and (size < 0 or len(self._plain) < size):
            self._plain += self._open_chunk()
        if size < 0:
            size = len(self._plain)
        data = bytes(self._plain[:size])
        del self._plain[:size]
        return data

    def read_to_end(self) -> None:
        """Check the rest of the file (up to and including its last chunk), keeping nothing."""
        while not self._ended:
            self._open_chunk()
        self._plain.clear()

    def _open_chunk(self) -> bytes:
        length_bytes = self._source.read(LENGTH.size)
        if len(length_bytes) < LENGTH.size:
            raise corrupt()  # the file ends before its last chunk
        (length,) = LENGTH.unpack(length_bytes)
        sealed = self._source.read(length) if TAG_BYTES <= length <= CHUNK + TAG_BYTES else b""
        if len(sealed) != length or length < TAG_BYTES:
            raise corrupt()
        for last in (False, True):
            try:
                plain = self._aead.decrypt(_nonce(self._counter, last=last), sealed, self._header)
            except InvalidTag:
                continue
            self._counter += 1
            if last:
                self._ended = True
                if self._source.read(1):
                    raise corrupt()  # something follows the last chunk
            return plain
        raise corrupt()
