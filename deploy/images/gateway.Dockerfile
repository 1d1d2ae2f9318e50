# The gateway: Caddy running deploy/Caddyfile (the same file as `make dev`) in front of the built portal.
#   docker build -f deploy/images/gateway.Dockerfile -t regsys-gateway .                 (the portal built here, npm)
#   docker build -f deploy/images/gateway.Dockerfile --target prebuilt-portal -t regsys-gateway .
#                                        (portal/dist as `make portal` built it on the host: no npm inside a build)
ARG NODE_IMAGE=node:24-slim
ARG GATEWAY_IMAGE=caddy:2

FROM ${GATEWAY_IMAGE} AS caddy
COPY deploy/Caddyfile /etc/caddy/Caddyfile
ENV GATEWAY_PORTAL_ROOT=/srv/portal
EXPOSE 8080

FROM caddy AS prebuilt-portal
COPY portal/dist /srv/portal

FROM ${NODE_IMAGE} AS portal
WORKDIR /portal
COPY portal/package.json portal/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY portal/index.html portal/vite.config.ts portal/tsconfig.json portal/env.d.ts ./
COPY portal/public ./public
COPY portal/src ./src
RUN npm run build

FROM caddy AS gateway
COPY --from=portal /portal/dist /srv/portal
