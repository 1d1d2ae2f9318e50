#!/usr/bin/env bash
# A fresh .env for docker compose: random secrets, and the development profile (the project's own mail catcher
# and SMS sink as the `channels` container instead of a real mail relay and SMS provider).
#
#   deploy/compose/make-env.sh > .env && docker compose up
#
# For production, leave out the development block and set NOTIFICATIONS_SMTP_* and NOTIFICATIONS_SMS_GATEWAY_*
# to your mail relay and SMS provider.
set -euo pipefail
random() { LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom | head -c "$1"; }
# account passwords follow the sign-in policy: 6-16 characters, letters and digits
cat <<ENV
POSTGRES_PASSWORD=$(random 32)
IDENTITY_DB_PASSWORD=$(random 32)
APPLICATIONS_DB_PASSWORD=$(random 32)
INSTITUTIONS_DB_PASSWORD=$(random 32)
NOTIFICATIONS_DB_PASSWORD=$(random 32)
LICENSING_DB_PASSWORD=$(random 32)
IDENTITY_SECRET_KEY=$(random 48)
IDENTITY_ID_NUMBER_KEY=$(random 48)
IDENTITY_BOOTSTRAP_ADMIN_PASSWORD=Rg1$(random 11)
LICENSING_SECRET_KEY=$(random 48)
CODE_DELIVERY_KEY=$(random 48)

# development profile: mail and SMS go to the channels container (read them at http://127.0.0.1:8025)
COMPOSE_PROFILES=development
NOTIFICATIONS_SMTP_HOST=channels
NOTIFICATIONS_SMTP_PORT=1025
NOTIFICATIONS_SMTP_SECURITY=none
NOTIFICATIONS_SMS_GATEWAY_URL=http://channels:8025/sms
NOTIFICATIONS_SMS_GATEWAY_KEY=$(random 24)
ENV
