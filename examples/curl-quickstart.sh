#!/usr/bin/env bash
# Walks through the API with curl against a running `npm start`.
# Usage: PLATFORM_KEY=mk_platform_… examples/curl-quickstart.sh [http://127.0.0.1:8787]
set -euo pipefail
api="${1:-http://127.0.0.1:8787}"
: "${PLATFORM_KEY:?set PLATFORM_KEY to the key npm start printed}"
json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s)$1))"; }

slug="quickstart-$(date +%s)"
echo "1. Create the tenant $slug"
tenant=$(curl -fsS -X POST "$api/v1/platform/tenants" -H "Authorization: Bearer $PLATFORM_KEY" \
  -H 'Content-Type: application/json' -d "{\"name\": \"Quickstart Club\", \"slug\": \"$slug\"}")
sk=$(echo "$tenant" | json .secret_key)

echo "2. Brand it"
curl -fsS -X PATCH "$api/v1/tenant" -H "Authorization: Bearer $sk" -H 'Content-Type: application/json' \
  -d '{"branding": {"color_primary": "#0f766e", "radius": 12}, "allowed_origins": ["http://localhost:3000"]}' | json .branding

echo "3. Make a viewer key, use it, revoke it"
key=$(curl -fsS -X POST "$api/v1/api-keys" -H "Authorization: Bearer $sk" -H 'Content-Type: application/json' \
  -d '{"kind": "secret", "role": "viewer", "name": "Quickstart"}')
viewer=$(echo "$key" | json .key); id=$(echo "$key" | json .id)
curl -fsS "$api/v1/tenant" -H "Authorization: Bearer $viewer" | json .name
curl -fsS -X DELETE "$api/v1/api-keys/$id" -H "Authorization: Bearer $sk" | json .revoked_at
echo "   with the revoked key: HTTP $(curl -s -o /dev/null -w '%{http_code}' "$api/v1/tenant" -H "Authorization: Bearer $viewer")"
