# jq -L bench/jq -f bench/jq/rfm.jq devices.json
include "checks"; rfm
