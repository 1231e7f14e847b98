"""The storage quota of a project: the total size of its attached files."""

from sqlalchemy.ext.asyncio import AsyncSession

from ...config.project_config import get_settings
from ..exceptions import StorageQuotaExceededError
from ..repositories.attachment_quota_repository import AttachmentQuotaRepository


class AttachmentQuotaService:
    async def reserve(self, session: AsyncSession, project_id: int, size: int) -> None:
        """Refuse (413 `storage_quota_exceeded`) a file of `size` bytes that would take the
        project past PROJECT_STORAGE_QUOTA_BYTES. Call it right before the attachment is
        written: the project stays locked for quota checks until the unit of work ends."""
        quota = get_settings().project_storage_quota_bytes
        if quota <= 0:
            return
        repo = AttachmentQuotaRepository(session)
        await repo.lock_project(project_id)
        used = await repo.stored_bytes(project_id)
        if used + size > quota:
            raise StorageQuotaExceededError(used=used, quota=quota, size=size)


attachment_quota_service = AttachmentQuotaService()
