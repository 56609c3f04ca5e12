#!/bin/sh
# As the official image's hook: /etc/nginx/templates/X.template -> /etc/nginx/conf.d/X with only
# the variables set in the environment substituted (Nginx's own $variables stay).
set -eu
defined_envs=$(printf '${%s} ' $(env | cut -d= -f1))
for template in /etc/nginx/templates/*.template; do
  [ -f "$template" ] || continue
  out="/etc/nginx/conf.d/$(basename "$template" .template)"
  echo "20-envsubst-on-templates.sh: $template -> $out"
  envsubst "$defined_envs" < "$template" > "$out"
done
