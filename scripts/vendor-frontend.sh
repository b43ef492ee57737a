#!/bin/sh
# Refresh the vendored front-end files from the npm registry at the versions pinned in package.json.
# Run by hand when upgrading; the results are committed, so neither `make run` nor `make test` needs npm.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
cp package.json "$tmp/"
(cd "$tmp" && npm install --no-audit --no-fund --silent)
cp "$tmp/node_modules/@picocss/pico/css/pico.min.css" "$tmp/node_modules/@picocss/pico/LICENSE.md" static/vendor/pico/
cp "$tmp/node_modules/htmx.org/dist/htmx.min.js" "$tmp/node_modules/htmx.org/LICENSE" static/vendor/htmx/
cp "$tmp/node_modules/axe-core/axe.min.js" "$tmp/node_modules/axe-core/LICENSE" tests/e2e/vendor/
rm -rf "$tmp"
echo "vendored: $(grep -o '"[^"]*": "[0-9.]*"' package.json | tr '\n' ' ')"
