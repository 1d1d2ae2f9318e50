# A local equivalent of redis:7-alpine from Debian's redis-server (7.0): `redis-server`, `redis-cli`.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
# Debian stable's own versions: the image tag carries a hash of this file, rebuilt when it changes
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
WORKDIR /data
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER redis
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
