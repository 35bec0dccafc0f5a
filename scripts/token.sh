#!/usr/bin/env bash
# Mints a development JWT (HS256) for the local stack.
#   scripts/token.sh USER_ID [staff] [ttl_seconds]
# Signs with AUTH_JWT_SECRET, or the development secret (schema/dev-jwt-secret, which the services,
# the gateway and the web server read too) when it is unset; the services refuse that secret in the
# prod profile. Never use this for production identities.
set -euo pipefail
user="${1:?usage: token.sh USER_ID [staff] [ttl_seconds]}"
staff="${2:-}"
ttl="${3:-86400}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secret="${AUTH_JWT_SECRET:-$(<"$root/schema/dev-jwt-secret")}"

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
roles='[]'
case "$staff" in staff|1|true|yes) roles='["staff"]' ;; esac
now=$(date +%s)
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
payload=$(printf '{"sub":"%s","roles":%s,"iat":%d,"exp":%d}' "$user" "$roles" "$now" "$((now + ttl))" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -binary -sha256 -hmac "$secret" | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
