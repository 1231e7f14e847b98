"""Fractional ordering keys: moving an item rewrites one row, not the whole list.

Keys are base-62 strings compared bytewise (columns use collation "C"); a key between
any two keys always exists, and a list whose keys grow long is rebalanced.
"""

from fractional_indexing import generate_key_between, generate_n_keys_between


def key_between(before: str | None, after: str | None) -> str:
    """A key that sorts after `before` and before `after` (None: an open end)."""
    return str(generate_key_between(before, after))


def keys_between(before: str | None, after: str | None, count: int) -> list[str]:
    """`count` evenly spread keys between the two bounds."""
    return [str(k) for k in generate_n_keys_between(before, after, count)]
