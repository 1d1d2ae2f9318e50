#!/bin/sh
# As the official image does: without a config file, a container's Redis is reached over its network, so
# protected mode (loopback only when there is no password) is turned off.
set -eu
if [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
    case "${2:-}" in *.conf) ;; *) set -- "$@" --protected-mode no ;; esac
fi
exec "$@"
