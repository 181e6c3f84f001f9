# jq -L bench/jq --slurpfile policies policies.json -f bench/jq/prevention.jq devices.json
include "checks"; prevention($policies[0])
