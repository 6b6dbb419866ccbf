# syntax=docker/dockerfile:1
# Encore API image: serves the REST API, the OpenAPI docs and the built dashboard on one port.
#   docker build -t encore-api .
#   docker run --rm -p 3000:3000 -v encore-data:/data encore-api
# better-sqlite3 compiles from source when no prebuilt binary matches, hence python3/make/g++ in the npm stages.

# ---- production node_modules (dependencies only), built with the toolchain, copied without it ----
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# ---- build: full install, then the API (main.js + training-worker.js + als-worker.js), the dashboard and the CLI bundles ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV NX_DAEMON=false NX_NO_CLOUD=true
RUN npx nx run-many -t build -p api dashboard cli --outputStyle=static

# ---- runtime ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    ENCORE_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist/apps/api ./dist/apps/api
COPY --from=build /app/dist/apps/dashboard ./dist/apps/dashboard
COPY data/sample ./data/sample
# The image's own `node` user (uid 1000); /data holds SQLite, the generated JWT key and model artifacts.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/api/main.js"]
