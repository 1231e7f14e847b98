"""The FastAPI application: lifespan (database, migrations), middleware, error handlers, routes."""

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .board.services.card_detail_service import card_detail_service
from .config.database.db_helper import Database, resolve_database_url, run_migrations
from .config.project_config import ProjectSettings, get_settings
from .importer.services.board_import_service import board_import_service
from .lib.body_limit import BodySizeLimitMiddleware
from .lib.memory import limit_malloc_arenas
from .lib.problem_details import install_error_handlers
from .lib.request_context import RequestIdMiddleware
from .logging_config import configure_logging
from .routes import include_routes
from .wiring import wire

logger = logging.getLogger("internhub")


def create_app(settings: ProjectSettings | None = None) -> FastAPI:
    """Build the application. Tests pass their own settings and set `app.state.database`."""
    settings = settings or get_settings()
    limit_malloc_arenas()
    configure_logging(settings.log_level)
    wire()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned: Database | None = None
        if getattr(app.state, "database", None) is None:
            url = await resolve_database_url(settings.database)
            owned = Database.from_url(url, settings.database)
            if settings.database.migrate_on_start:
                await run_migrations(owned.engine)
                logger.info("database schema is up to date")
            app.state.database = owned
        # Imports left running by a process that died are marked failed (retryable).
        # Housekeeping only: an unreachable database must not keep the app from starting
        # (it answers 503 until the database is back).
        try:
            await board_import_service.recover_interrupted(app.state.database)
        except Exception:
            logger.warning("could not check for interrupted imports", exc_info=True)
        try:
            await board_import_service.prune_uploads(
                app.state.database,
                retention=dt.timedelta(days=settings.import_failed_retention_days),
                orphans=False,
            )
            await card_detail_service.remove_partial_uploads()
        except Exception:
            logger.warning("could not remove expired or half-written uploads", exc_info=True)
        try:
            yield
        finally:
            if owned is not None:
                await owned.dispose()
                app.state.database = None

    app = FastAPI(
        title=settings.app_name,
        summary="Task tracker and internship management platform",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = None

    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimitMiddleware,
        default_limit=settings.max_request_body_bytes,
        # Multipart overhead on top of the file itself.
        overrides=[
            (r"/api/v1/cards/\d+/attachments", settings.attachment_max_bytes + 65536),
            (r"/api/v1/projects/\d+/imports/\w+", settings.import_max_bytes + 65536),
        ],
    )
    app.add_middleware(RequestIdMiddleware)

    include_routes(app)
    return app


app = create_app()
