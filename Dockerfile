# One image per service, each with only its own packages:
#   python3 deploy/images/wheelhouse.py && docker build --build-arg SERVICE=identity -t regsys-identity .
# Third-party packages come from the wheelhouse (made on the host from uv.lock, installed here with no
# index: an air-gapped build); the code is copied after them, so a code change reinstalls nothing.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS dependencies
ARG SERVICE
COPY .wheelhouse/${SERVICE}/ /wheels/
# the applications service prints its forms in Noto Sans SC: drop the other three CJK families it ships with
RUN test -n "${SERVICE}" \
 && python -m venv /app/.venv \
 && /app/.venv/bin/pip install --quiet --no-cache-dir --no-index --find-links /wheels --require-hashes \
      -r /wheels/requirements.txt \
 && /app/.venv/bin/python -m pip uninstall --quiet --yes pip setuptools \
 && site="$(/app/.venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" \
 && rm -rf "$site"/justmytype_intl_cjk/fonts/ofl/notosanstc "$site"/justmytype_intl_cjk/fonts/ofl/notosansjp \
      "$site"/justmytype_intl_cjk/fonts/ofl/notosanskr \
 && printf '/app/libs/contracts/src\n/app/libs/runtime/src\n/app/services/%s/src\n' "${SERVICE}" > "$site/regsys.pth"

FROM ${PYTHON_IMAGE} AS service
ARG SERVICE
ENV SERVICE=${SERVICE} PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /app regsys
WORKDIR /app
COPY --from=dependencies /app/.venv /app/.venv
COPY libs/contracts/src /app/libs/contracts/src
COPY libs/runtime/src /app/libs/runtime/src
COPY services/${SERVICE}/alembic.ini /app/services/${SERVICE}/alembic.ini
COPY services/${SERVICE}/migrations /app/services/${SERVICE}/migrations
COPY services/${SERVICE}/src /app/services/${SERVICE}/src
RUN python -m compileall -q /app/libs /app/services
USER 10001:10001
# /readyz on the service's own port (each reads <SERVICE>_HTTP_PORT; the defaults are 8001..8005)
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 CMD ["python", "-c", "import os, urllib.request; s = os.environ['SERVICE']; p = os.environ.get(s.upper() + '_HTTP_PORT') or {'identity': 8001, 'applications': 8002, 'institutions': 8003, 'notifications': 8004, 'licensing': 8005}[s]; urllib.request.urlopen(f'http://127.0.0.1:{p}/readyz', timeout=2)"]
# shell form so that $SERVICE expands; exec hands PID 1 to the service for clean signals
CMD ["sh", "-c", "exec python -m \"$SERVICE\" serve"]
