# One image per service, from one file: docker build --build-arg SERVICE=identity .
FROM python:3.11-slim AS build
ARG SERVICE
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY libs ./libs
COPY services ./services
RUN test -n "$SERVICE" && uv sync --frozen --no-dev --package "regsys-${SERVICE}"

FROM python:3.11-slim AS service
ARG SERVICE
ENV SERVICE=${SERVICE} PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
RUN useradd --system --uid 10001 --user-group --home-dir /app regsys
WORKDIR /app
COPY --from=build --chown=10001:10001 /app /app
USER 10001:10001
# shell form so that $SERVICE expands; exec hands PID 1 to the service for clean signals
CMD ["sh", "-c", "exec python -m \"$SERVICE\" serve"]
