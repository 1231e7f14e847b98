"""Every model module, imported so that autogenerate sees the whole schema."""

from src.auth.models import (  # noqa: F401
    invitation_model,
    login_attempt_model,
    password_reset_model,
    refresh_token_model,
    revoked_token_model,
)
from src.board.models import (  # noqa: F401
    activity_model,
    board_model,
    card_detail_model,
    card_model,
)
from src.importer.models import import_job_model  # noqa: F401
from src.internship.models import (  # noqa: F401
    internship_model,
    participant_model,
    project_model,
    team_model,
)
from src.lib.models.base_model import Base
from src.review.models import review_model  # noqa: F401
from src.user import user_model  # noqa: F401

metadata = Base.metadata
