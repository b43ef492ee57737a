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
# The desk's QR scanner: its UMD build, and its worker written out as a plain file (the package
# builds the worker from a blob: URL, which the Content-Security-Policy does not allow; the desk
# serves it from 'self' instead, see static/js/desk-scanner.js).
mkdir -p static/vendor/qr-scanner
cp "$tmp/node_modules/qr-scanner/qr-scanner.umd.min.js" "$tmp/node_modules/qr-scanner/LICENSE" static/vendor/qr-scanner/
node scripts/qr-scanner-worker.mjs "$tmp/node_modules/qr-scanner/qr-scanner-worker.min.js" static/vendor/qr-scanner/qr-scanner-worker.js
sed -i 's|//# sourceMappingURL=.*||' static/vendor/qr-scanner/qr-scanner.umd.min.js
(cd static/vendor/qr-scanner && sha256sum -c SHA256SUMS)
rm -rf "$tmp"
echo "vendored: $(grep -o '"[^"]*": "[0-9.]*"' package.json | tr '\n' ' ')"
