# A local equivalent of python:3.11-slim from Debian's packages: `python` and its venv module.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
# Debian stable's own versions: the image tag carries a hash of this file, rebuilt when it changes
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3.11 python3.11-venv python-is-python3 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV LANG=C.UTF-8
CMD ["python3"]
