"""InternHub's own board export format (`schemas/board_export_schema.py`): written from a
board snapshot, read back from disk, mapped onto a snapshot again."""
