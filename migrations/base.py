"""Every model module, imported so that autogenerate sees the whole schema."""

from src.lib.models.base_model import Base
from src.user import user_model  # noqa: F401

metadata = Base.metadata
