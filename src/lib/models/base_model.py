"""Declarative base of every ORM model: naming convention, id and timestamps."""

import datetime as dt

from sqlalchemy import BigInteger, DateTime, Identity, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class: constraint names are predictable, so migrations can name them."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dt.datetime: DateTime(timezone=True),
    }


class TimestampMixin:
    """`created_at` / `updated_at` as timestamptz, set by the database."""

    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True),
        server_default=func.now(),
        onupdate=func.now(),
        nullable=False,
    )


class IdMixin:
    """A bigint identity primary key."""

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)


class BaseModel(IdMixin, TimestampMixin, Base):
    """The usual table: id, created_at, updated_at."""

    __abstract__ = True
    # Fetch server-generated values (timestamps) with RETURNING on INSERT and UPDATE,
    # so no attribute is left expired for a lazy load under asyncio.
    __mapper_args__ = {"eager_defaults": True}
