# The three checks in one jq process (one parse of the export):
# jq -L bench/jq --arg asof … --slurpfile policies policies.json -f bench/jq/all.jq devices.json
include "checks";
{ rfm: rfm, stale: stale($asof), prevention: prevention($policies[0]) }
