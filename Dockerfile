# syntax=docker/dockerfile:1
# One image for both Fargate services (infra/lib/api-service.ts, worker-service.ts):
#   API:    CMD   node scripts/api-server.mjs  (default; Next standalone build in .next-api/standalone)
#   worker: command npx tsx --conditions=react-server scripts/worker.ts
# Build: docker build -t reelgate .   (cdk deploy builds it as an asset, linux/amd64)

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: full install, then the standalone API build (.next-api/standalone + static) ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build:api

# --- production dependencies: the worker runs from source through tsx ---
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# --- runtime ---
FROM ${NODE_IMAGE} AS runtime
# ffmpeg from Debian (5.1 on bookworm): the npm builds either crash on a multi-variant
# HLS ladder or download at install time. tini reaps ffmpeg children and forwards
# SIGTERM, which node as PID 1 would otherwise ignore.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg tini ca-certificates \
  && rm -rf /var/lib/apt/lists/*
# RDS certificates are not in Node's trust store; DATABASE_URL points sslrootcert here
# so the connection is verify-full (RDS PostgreSQL 15+ forces TLS anyway).
ADD --chmod=644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem

WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    REELGATE_ROOT=/app \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/tmp/reelgate \
    RDS_CA_BUNDLE=/etc/ssl/certs/rds-global-bundle.pem

COPY --from=prod-deps /app/node_modules ./node_modules
# Sources for the worker (scripts/, lib/, tsconfig paths) and the migrations, which
# REELGATE_ROOT makes both processes read from /app/lib/db/migrations.
COPY . .
COPY --from=build --chown=node:node /app/.next-api/standalone ./.next-api/standalone
COPY --from=build --chown=node:node /app/.next-api/static ./.next-api/standalone/.next-api/static
COPY --chmod=755 infra/docker/entrypoint.sh /usr/local/bin/reelgate-entrypoint

USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/reelgate-entrypoint"]
CMD ["node", "scripts/api-server.mjs"]
