#!/bin/sh
# Container entrypoint for the API and the worker (root Dockerfile).
#
# ECS injects the RDS secret's fields one by one (DB_HOST, DB_PORT, DB_NAME, DB_USER,
# DB_PASSWORD) because it cannot template a URL; the app reads DATABASE_URL, so it is
# assembled here. The generated password only contains URL-unreserved characters
# (infra/lib/database.ts), so no encoding is needed. verify-full with the RDS CA bundle:
# the server's certificate is checked, not just encrypted.
set -eu

if [ -z "${DATABASE_URL:-}" ] && [ -n "${DB_HOST:-}" ]; then
  DATABASE_URL="postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:${DB_PORT:-5432}/${DB_NAME}?sslmode=verify-full&sslrootcert=${RDS_CA_BUNDLE:-/etc/ssl/certs/rds-global-bundle.pem}"
  export DATABASE_URL
fi
# The pieces are not needed once joined; keep them out of child processes (ffmpeg).
unset DB_PASSWORD DB_USER 2>/dev/null || true

exec "$@"
