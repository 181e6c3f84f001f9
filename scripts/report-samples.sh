#!/usr/bin/env bash
# Regenerates the README's report pictures (reports/samples/*.png): renders the clinic report of
# tests/integration/report-clinic.test.ts (its clock pinned, so the pages are the same every run
# apart from ids and the signature) and turns four of its pages into PNGs at 60 dpi with pdftoppm.
# Usage: npm run report:samples
set -euo pipefail
cd "$(dirname "$0")/.."
out=reports/samples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm run -s build
POSTURE_REPORT_SAMPLES="$work" node --experimental-vm-modules node_modules/jest/bin/jest.js --runInBand \
  tests/integration/report-clinic.test.ts >/dev/null
pdf="$work/clinic-report.pdf"
page_of() { # first page whose text contains $1
  local pages n
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  for ((n = 1; n <= pages; n++)); do
    if pdftotext -f "$n" -l "$n" -raw "$pdf" - | tr '\n' ' ' | grep -q -- "$1"; then echo "$n"; return; fi
  done
  echo "no page with '$1'" >&2
  exit 1
}
mkdir -p "$out"
shot() {
  [ -n "$2" ] || exit 1
  pdftoppm -r 60 -png -f "$2" -l "$2" -singlefile "$pdf" "$out/$1"
}
shot cover 1
summary=$(page_of 'Executive summary HIPAA')
findings=$(page_of 'problems, each listed once')
manifest=$(page_of 'SHA-256 of each snapshot is over')
shot executive-summary "$summary"
shot findings "$((findings + 1))" # the first page of rows after the section's introduction
shot manifest "$manifest"
echo "wrote $(ls "$out"/*.png | tr '\n' ' ')"
