# jq -L bench/jq --arg asof 2026-11-26T00:00:00Z -f bench/jq/stale.jq devices.json
include "checks"; stale($asof)
