# InternHub: the web application in one image.
# Build and run with `docker compose up --build` (see README.md, section Docker).

FROM python:3.12-slim

# uv, copied from its official image (https://docs.astral.sh/uv/guides/integration/docker/).
COPY --from=ghcr.io/astral-sh/uv:0.13 /uv /uvx /bin/

# UV_COMPILE_BYTECODE: compile bytecode once at build time instead of at every start.
# UV_LINK_MODE: the cache is a mount and the venv is in the image, so copy, do not hard-link.
# UV_PYTHON_DOWNLOADS: use the image's Python 3.12, never download another one.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=0

WORKDIR /app

# The non-root user the application runs as.
RUN groupadd --system --gid 10001 internhub \
    && useradd --system --uid 10001 --gid internhub --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin internhub

# 1. Dependencies only: this layer is rebuilt only when pyproject.toml or uv.lock change.
COPY pyproject.toml uv.lock .python-version ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project

# 2. The project itself (README.md is the package readme, alembic.ini and migrations/
#    are needed for the migrations applied at start-up and for `alembic upgrade head`).
COPY README.md alembic.ini ./
COPY migrations ./migrations
COPY src ./src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev

# Local state (uploads; the embedded PostgreSQL is not used here, DATABASE_URL is set).
# A named volume mounted on /app/.data takes over this ownership when it is first created.
RUN mkdir -p /app/.data && chown internhub:internhub /app/.data

ENV PATH=/app/.venv/bin:$PATH

USER internhub

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]

# Migrations are applied by the application itself before it accepts requests.
CMD ["internhub", "serve", "--host", "0.0.0.0", "--port", "8000"]
