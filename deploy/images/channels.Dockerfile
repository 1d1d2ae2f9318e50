# The development channels (mail catcher, SMS gateway sink, and an HTTP API to read both back) for compose's
# development profile: devstack's two channel modules and aiosmtpd, nothing else.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS dependencies
COPY .wheelhouse/channels/ /wheels/
RUN python -m venv /app/.venv \
 && /app/.venv/bin/pip install --quiet --no-cache-dir --no-index --find-links /wheels --require-hashes \
      -r /wheels/requirements.txt \
 && /app/.venv/bin/python -m pip uninstall --quiet --yes pip setuptools

FROM ${PYTHON_IMAGE}
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=/app/devstack
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /app regsys \
 && mkdir -p /data && chown regsys:regsys /data
COPY --from=dependencies /app/.venv /app/.venv
COPY libs/devstack/src/devstack/__init__.py libs/devstack/src/devstack/channels.py \
     libs/devstack/src/devstack/channel_server.py /app/devstack/devstack/
USER 10001:10001
EXPOSE 1025 8025
HEALTHCHECK --interval=5s --timeout=3s --retries=10 CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8025/healthz', timeout=2)"]
CMD ["python", "-m", "devstack.channel_server", "--directory", "/data"]
