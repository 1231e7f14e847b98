"""Passes over one JSON file with ijson: each reads only what it asks for, so an export
of 100 MB never sits in memory whole (nor as a tree of Python objects)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

import ijson

from .exceptions import InvalidExportError

# ijson's events for the start of a value → the JSON kind that begins there.
_KINDS = {
    "start_map": "object",
    "start_array": "array",
    "string": "string",
    "number": "number",
    "integer": "number",
    "double": "number",
    "boolean": "boolean",
    "null": "null",
}
KIND_NAMES = {"string": "a string", "array": "an array", "object": "an object"}


class JsonPasses:
    """One file, read in passes: each call rewinds and streams what it needs."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        stream.seek(0)
        # After a UTF-8 byte order mark, which some editors write.
        self.start = 3 if stream.read(3) == b"\xef\xbb\xbf" else 0

    def _rewind(self) -> BinaryIO:
        self.stream.seek(self.start)
        return self.stream

    def check_object(self, not_an_object: str) -> None:
        """The file holds a JSON object (else `not_an_object`, or what is wrong with it)."""
        with invalid_json_refused():
            for _, event, _ in ijson.parse(self._rewind()):
                if event != "start_map":
                    raise InvalidExportError(not_an_object)
                return
        raise InvalidExportError("The file is empty.")

    def top_level_kinds(self) -> dict[str, str]:
        """The JSON kind of each key of the top-level object ("array", "null"…). Reads
        the whole file once, so a file that is not valid JSON is refused here."""
        kinds: dict[str, str] = {}
        pending: str | None = None
        with invalid_json_refused():
            for prefix, event, value in ijson.parse(self._rewind()):
                if pending is not None:
                    kinds.setdefault(pending, _KINDS.get(event, "null"))
                    pending = None
                elif prefix == "" and event == "map_key":
                    pending = value
        return kinds

    def value(self, key: str) -> Any:
        """The value of a top-level key (built whole: only for small values)."""
        with invalid_json_refused():
            return next(ijson.items(self._rewind(), key, use_float=True), None)

    def elements(self, key: str) -> Iterator[tuple[int, Any]]:
        """The elements of a top-level array, one at a time, with their index."""
        with invalid_json_refused():
            yield from enumerate(ijson.items(self._rewind(), f"{key}.item", use_float=True))


@contextmanager
def invalid_json_refused() -> Iterator[None]:
    """Turns the parser's errors into `InvalidExportError` naming the first problem."""
    try:
        yield
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise InvalidExportError(f"The file is not valid JSON: {_why(exc)}.") from None


def _why(exc: BaseException) -> str:
    """The first line of the parser's message (yajl gives some messages as bytes)."""
    message = exc.args[0] if exc.args else ""
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    text = str(message).strip()
    return text.splitlines()[0][:200].rstrip(".") if text else type(exc).__name__
