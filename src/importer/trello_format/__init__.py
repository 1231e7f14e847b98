"""Trello's board export: read from disk as small records, mapped onto a board snapshot."""
