#!/bin/sh
# Runs in the nginx image before 20-envsubst-on-templates.sh (docker-entrypoint.d hooks run in
# name order). With NGINX_TLS=true, enables the optional HTTPS server block and turns port 80
# into a redirect to HTTPS (optional/http-redirect.conf.template replaces the HTTP server).
set -eu
case "${NGINX_TLS:-false}" in
  true|1|yes) ;;
  *) exit 0 ;;
esac
for f in /etc/nginx/certs/fullchain.pem /etc/nginx/certs/privkey.pem; do
  if [ ! -r "$f" ]; then
    echo "15-meeple-tls: NGINX_TLS=true but $f is missing; mount the certificate directory at /etc/nginx/certs" >&2
    exit 1
  fi
done
cp /etc/nginx/optional/tls.conf.template /etc/nginx/templates/tls.conf.template
cp /etc/nginx/optional/http-redirect.conf.template /etc/nginx/templates/http.conf.template
echo "15-meeple-tls: HTTPS server enabled on port ${NGINX_TLS_PORT:-443}; port ${NGINX_PORT:-80} redirects to it"
