"""Loads the demo data set through the contexts' own services; running it twice adds nothing."""

from sqlalchemy.ext.asyncio import AsyncSession

from ..user.user_schema import UserCreate
from ..user.user_service import user_service
from .demo_data import DEMO_PASSWORD, EMAIL_DOMAIN, INTERNS, MENTORS, ORGANISER


class DemoService:
    async def seed(self, session: AsyncSession) -> list[tuple[str, str, str]]:
        """Create what is missing; return (role, username, password) of the demo logins."""
        logins: list[tuple[str, str, str]] = []
        people = [("organiser", *ORGANISER)]
        people += [("mentor", *m) for m in MENTORS]
        people += [("intern", *i) for i in INTERNS]
        for role, username, full_name in people:
            await self._ensure_user(session, username, full_name, is_admin=role == "organiser")
            logins.append((role, username, DEMO_PASSWORD))
        return logins

    async def _ensure_user(
        self, session: AsyncSession, username: str, full_name: str, *, is_admin: bool
    ) -> None:
        if await user_service.find_by_username(session, username) is not None:
            return
        data = UserCreate(
            email=f"{username}@{EMAIL_DOMAIN}",
            username=username,
            full_name=full_name,
            password=DEMO_PASSWORD,
        )
        await user_service.register(session, data, is_admin=is_admin)


demo_service = DemoService()
