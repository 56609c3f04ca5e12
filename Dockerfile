# Meeple Queue — multi-stage image.
#   docker build -t meeple-queue:TAG .                    # the app (last stage, `runtime`)
#   docker build --target web -t meeple-queue-web:TAG .   # Nginx + the built client
#
# The base images are build arguments so the image also builds where Docker Hub is out of
# reach (scripts/container-smoke.sh builds it with podman on a debootstrapped Debian base).
ARG NODE_IMAGE=node:22-bookworm-slim
ARG NGINX_IMAGE=nginx:1.28-alpine

# ---- dependencies (all, for the build) ---------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
# argon2 and msgpackr-extract ship prebuilt binaries (loaded at run time by node-gyp-build)
# but declare node-gyp install scripts; skipping scripts keeps the image free of a compiler.
RUN npm ci --ignore-scripts

# ---- build: server (tsc -> dist/server, dist/migrations) and client (Vite -> dist/client) ----
FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY server ./server
COPY migrations ./migrations
COPY client ./client
RUN npm run build

# ---- production dependencies only ----------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
# argon2's prebuilt binary is used when it loads. Where it does not (it was seen to crash with
# SIGSEGV on some hosts), argon2 is compiled here from its bundled sources with node-gyp
# (npm's own copy) against the image's Node headers; the compiler stays in this stage.
RUN npm ci --omit=dev --ignore-scripts \
 && if ! node -e "require('argon2')" 2>/dev/null; then \
      echo "argon2: prebuilt binary does not load here, compiling it from source" \
      && apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
      && cd node_modules/argon2 \
      && npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")" \
         node "$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js" rebuild \
      && rm -rf build/Release/obj.target build/Release/.deps \
      && cd /app; \
    fi \
 && node -e "require('argon2'); console.log('argon2 native module loads')" \
 && npm cache clean --force

# ---- web: Nginx serving dist/client and proxying to the app replicas ------------------------
FROM ${NGINX_IMAGE} AS web
COPY nginx/nginx.conf /etc/nginx/nginx.conf
COPY nginx/snippets /etc/nginx/snippets
COPY nginx/templates /etc/nginx/templates
COPY nginx/optional /etc/nginx/optional
COPY nginx/docker-entrypoint.d/15-meeple-tls.sh /docker-entrypoint.d/15-meeple-tls.sh
RUN rm -f /etc/nginx/conf.d/default.conf && mkdir -p /var/www/acme
COPY --from=build /app/dist/client /usr/share/nginx/html
# Every ${NGINX_*} of the templates has a value here: the image's envsubst leaves an undefined
# one as text, and Nginx would refuse it. NGINX_REAL_IP_FROM: no trusted hop unless one is set.
ENV NGINX_PORT=80 \
    NGINX_TLS_PORT=443 \
    NGINX_TLS=false \
    NGINX_SERVER_NAME=_ \
    NGINX_STATIC_ROOT=/usr/share/nginx/html \
    NGINX_RESOLVER=127.0.0.11 \
    NGINX_ACME_ROOT=/var/www/acme \
    NGINX_UPSTREAM_SERVERS="server app:3000 resolve max_fails=2 fail_timeout=5s;" \
    NGINX_REAL_IP_FROM=""
EXPOSE 80 443
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1/healthz || exit 1

# ---- runtime: the app (default target) ----------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    SERVE_CLIENT=true \
    TRUST_PROXY=1
WORKDIR /app
RUN groupadd --system --gid 10001 meeple \
 && useradd --system --uid 10001 --gid meeple --home-dir /app --no-create-home --shell /usr/sbin/nologin meeple
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY scripts/docker-entrypoint.sh /usr/local/bin/meeple-entrypoint
USER meeple:meeple
EXPOSE 3000
# Node, not curl: slim images have no curl. Liveness (/health/live), not readiness: a MySQL
# or Redis blip must not get the container killed (docs/DEPLOY.md, "Liveness and readiness").
HEALTHCHECK --interval=10s --timeout=4s --start-period=40s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/health/live',timeout:3000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]
# The app drains on SIGTERM (stops accepting, finishes in-flight requests, closes sockets).
STOPSIGNAL SIGTERM
ENTRYPOINT ["meeple-entrypoint"]
CMD ["node", "dist/server/main.js"]
