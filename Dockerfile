# syntax=docker/dockerfile:1
# The Switchboard exporter. Build context: the repository root.
#   docker build -t switchboard-exporter .
#   docker run -p 10027:10027 switchboard-exporter          # demo PBX, http://localhost:10027
ARG NODE_IMAGE=node:22-alpine

# ---- build: every exporter dependency (TypeScript included), then the compiled exporter ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source where no prebuilt binary fits
RUN apk add --no-cache python3 make g++
# the workspace manifests first, so the dependency layer is cached until they change
COPY package.json package-lock.json ./
COPY exporter/package.json exporter/
COPY grafana-plugin/package.json grafana-plugin/
# npm ci runs the root's prepare script (exporter/scripts/build.mjs): nothing to build until the sources are in
COPY exporter/scripts exporter/scripts
RUN npm ci --workspace exporter --no-audit --no-fund
COPY exporter/tsconfig.json exporter/tsconfig.build.json exporter/
COPY exporter/src exporter/src
RUN npm run build -w exporter

# ---- deps: production dependencies only ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apk add --no-cache python3 make g++
COPY package.json package-lock.json ./
COPY exporter/package.json exporter/
COPY grafana-plugin/package.json grafana-plugin/
COPY exporter/scripts exporter/scripts
RUN npm ci --workspace exporter --omit=dev --no-audit --no-fund \
 && mkdir -p exporter/node_modules \
 && npm cache clean --force

# ---- runtime: node, the compiled exporter and its production dependencies; no compiler, no npm cache ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/exporter/node_modules ./exporter/node_modules
COPY --from=build /app/exporter/dist ./exporter/dist
COPY package.json ./
COPY exporter/package.json ./exporter/
COPY provisioning/switchboard/switchboard.yml /etc/switchboard/switchboard.yml
# the database and its backups; owned by the unprivileged `node` user (uid 1000) the exporter runs as
RUN mkdir -p /var/lib/switchboard/backups && chown -R node:node /var/lib/switchboard
USER node
VOLUME ["/var/lib/switchboard"]
EXPOSE 10027
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:10027/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM stops it cleanly (pending writes committed); SIGUSR2 toggles the demo PBX
ENTRYPOINT ["node", "/app/exporter/dist/cli.js"]
CMD ["--config", "/etc/switchboard/switchboard.yml"]
