#!/usr/bin/env bash
# The PDF tests check signatures with standard tools, not only our own code: pdfsig and pdftotext
# (poppler-utils), qpdf, jq, xxd and openssl; the console's browser tests drive Debian's chromium
# (playwright-core downloads no browser). Install them when missing and we may (root with
# apt-get, as on the CI machine); otherwise say exactly what to install.
set -euo pipefail
missing=()
for tool in pdfsig:poppler-utils pdftotext:poppler-utils pdfinfo:poppler-utils qpdf:qpdf jq:jq xxd:xxd openssl:openssl chromium:chromium; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing the test tools: $pkgs"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
else
  echo "the tests need: $pkgs — install them (Debian/Ubuntu: sudo apt-get install $pkgs)" >&2
  exit 1
fi
