# One image recipe for every service: docker build --build-arg SERVICE=points-ledger -f infra/docker/service.Dockerfile .
# SERVICE is declared after the build steps, so all six services share the npm ci and build layers.
FROM node:20-slim

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# service.Dockerfile.dockerignore keeps the host's node_modules, dist and caches out of this copy.
COPY . .
RUN npm run build

ARG SERVICE
RUN if [ -z "$SERVICE" ]; then echo 'build arg SERVICE is required, e.g. --build-arg SERVICE=profiles' >&2; exit 1; fi; \
    if [ ! -f "dist/services/$SERVICE/src/main.js" ]; then echo "the build produced no dist/services/$SERVICE/src/main.js" >&2; exit 1; fi

ENV SERVICE=${SERVICE} \
    NODE_ENV=production
USER node

# exec: node replaces the shell, so it gets SIGTERM from docker stop and shuts down cleanly.
CMD ["/bin/sh", "-c", "exec node dist/services/${SERVICE}/src/main.js"]
