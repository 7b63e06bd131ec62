"""The Dask scheduler a multiverse runs on: its address checked, and the server that answers
there checked to be a Dask scheduler before ``dask.distributed.Client`` connects to it.

``check_address`` reads ``--scheduler``: ``local`` (a ``LocalCluster`` on this machine) or
``tcp://host:port`` (``host:port`` is the same); anything else is one line naming it.
``probe`` connects at most ``ATTEMPTS`` times, and reads the greeting a Dask scheduler sends
every new connection (Dask's handshake: an 8-byte length, then the frames of a small msgpack
map with ``compression``, ``python`` and the serialisation protocol).  ``Client`` itself would wait
without end on a server that accepts and stays silent, and would try to allocate whatever
length a web server's first bytes spell (``HTTP/1.1`` reads as 3.07 EiB); the probe waits at
most ``WAIT`` seconds per attempt, reads at most ``GREETING_MAX`` bytes, and says what answered.

>>> check_address("tcp://127.0.0.1:8786"), check_address("scheduler.example.org:8786")
('tcp://127.0.0.1:8786', 'tcp://scheduler.example.org:8786')
>>> check_address("not a url")
Traceback (most recent call last):
...
analysis.errors.StudyError: --scheduler 'not a url': not a scheduler address; give tcp://host:port ...
"""
from __future__ import annotations

import ipaddress
import re
import socket
import struct
import time

import msgpack

from ..errors import StudyError

__all__ = ["check_address", "probe", "ATTEMPTS", "WAIT", "GREETING_MAX"]

ATTEMPTS = 3            # connections tried before giving up (a scheduler that is still starting)
PAUSE = 1.0             # seconds between two attempts
WAIT = 10.0             # seconds one attempt may wait to connect, and then for the greeting
GREETING_MAX = 1 << 16  # bytes: a Dask greeting is about 60
_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
_FORM = "give tcp://host:port (e.g. tcp://127.0.0.1:8786, the port a Dask scheduler prints), or local"


def check_address(text) -> str:
    """``--scheduler`` as ``"local"`` or ``"tcp://host:port"``, or a ``StudyError`` naming it.

    Parameters
    ----------
    text : str
        ``local``, ``tcp://host:port`` or ``host:port``; the host a name, an IPv4 address or an
        IPv6 address in brackets, the port 1-65535.

    Returns
    -------
    str

    Raises
    ------
    StudyError
        Any other text, another protocol (``tls://``, ``ws://``: the command line has no options
        for their security), a port out of range.

    Examples
    --------
    >>> check_address("[::1]:8786")
    'tcp://[::1]:8786'
    """
    text = str(text).strip()
    if text == "local":
        return text
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    if scheme != "tcp":
        raise StudyError(f"--scheduler {text!r}: only tcp:// schedulers are supported (no options for the security "
                         f"of {scheme}://); {_FORM}")
    host, colon, port = rest.rpartition(":")
    if not colon or not _valid_host(host) or not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise StudyError(f"--scheduler {text!r}: not a scheduler address; {_FORM}")
    return f"tcp://{host}:{int(port)}"


def _valid_host(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        try:
            return ipaddress.ip_address(host[1:-1]).version == 6
        except ValueError:
            return False
    return len(host) <= 253 and _HOST.fullmatch(host) is not None


def probe(address: str) -> None:
    """Check that a Dask scheduler answers at ``address`` (``check_address``'s ``tcp://host:port``).

    Connects at most ``ATTEMPTS`` times (``PAUSE`` seconds apart; each waits at most ``WAIT``
    seconds), then reads the scheduler's greeting.

    Raises
    ------
    StudyError
        An unknown host, no connection after ``ATTEMPTS`` attempts, or a server that sends no
        greeting within ``WAIT`` seconds or one that is not Dask's.
    """
    rest = address.removeprefix("tcp://")
    host, _, port = rest.rpartition(":")
    host = host.strip("[]")
    reason = ""
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(PAUSE)
        try:
            sock = socket.create_connection((host, int(port)), timeout=WAIT)
        except socket.gaierror as e:
            raise StudyError(f"--scheduler {address}: the host {host!r} is not known ({e.strerror}); check the "
                             "address") from None
        except OSError as e:                 # refused, unreachable, timed out: try again
            reason = e.strerror or type(e).__name__
            continue
        with sock:
            _greeting(sock, address)
        return
    raise StudyError(f"--scheduler {address}: cannot connect ({reason}; {ATTEMPTS} attempts); start the scheduler "
                     "(dask scheduler prints its address) or check the host and port")


def _greeting(sock, address: str) -> None:
    """Read and check a Dask scheduler's greeting on a fresh connection."""
    sock.settimeout(WAIT)
    not_dask = (f"--scheduler {address}: the server there is not a Dask scheduler ({{}}); give the address a Dask "
                "scheduler prints (tcp://host:8786 by default)")
    try:
        (size,) = struct.unpack("<Q", _read(sock, 8))
        if not 16 <= size <= GREETING_MAX:
            raise StudyError(not_dask.format(f"its first message announces {size:,} bytes; a Dask greeting has "
                                             "about 60"))
        message = _decode(_read(sock, size))
    except (TimeoutError, socket.timeout):
        raise StudyError(not_dask.format(f"it accepted the connection but sent no complete Dask greeting within "
                                         f"{WAIT:g} s, as a web server or another service would")) from None
    except ConnectionError as e:
        raise StudyError(not_dask.format(f"it closed the connection before greeting: {e.strerror or e}")) from None
    if not (isinstance(message, dict) and {"compression", "python"} <= set(message)):
        raise StudyError(not_dask.format("its greeting is not Dask's handshake"))


def _read(sock, n: int) -> bytes:
    data = bytearray()
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return bytes(data)


def _decode(body: bytes):
    """The message of Dask's frames: a count, the frames' lengths, the frames (msgpack last)."""
    try:
        (count,) = struct.unpack_from("<Q", body)
        if not 1 <= count <= 16:
            return None
        sizes = struct.unpack_from(f"<{count}Q", body, 8)
        if 8 * (count + 1) + sum(sizes) != len(body):
            return None
        return msgpack.unpackb(body[len(body) - sizes[-1]:], raw=False, strict_map_key=False)
    except (struct.error, ValueError, msgpack.UnpackException):
        return None
