# Three of posture's endpoint checks over a CrowdStrike Falcon host-details export
# ({meta, resources: [device…]}), written as a jq user would write them. Used by rfm.jq,
# stale.jq, prevention.jq and all.jq (jq -L bench/jq).

# endpoint.no-degraded-agents: hosts in reduced functionality mode
def rfm:
  [.resources[] | select(.reduced_functionality_mode == "yes") | {device_id, hostname}];

# Falcon times carry up to nine fractional digits, which fromdateiso8601 rejects
def epoch: sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601;

# endpoint.agent-recently-seen: hosts last seen more than 14 days before $asof (or never)
def stale($asof):
  ($asof | epoch) as $now
  | [.resources[]
     | select(has("last_seen"))
     | select(.last_seen == null or (.last_seen | epoch) < $now - 14 * 86400)
     | {device_id, hostname, last_seen}];

# endpoint.prevention-mode: hosts whose prevention policy is missing from the export, disabled,
# or prevents with neither ML slider (OnSensorMLSlider, CloudAntiMalware)
def prevention($policies):
  ($policies.resources
   | map({key: .id,
          value: (.enabled == true
                  and ([.prevention_settings[]?.settings[]?
                        | select(.id == "OnSensorMLSlider" or .id == "CloudAntiMalware")
                        | .value.prevention]
                       | any(. != null and . != "DISABLED")))})
   | from_entries) as $prevents
  | [.resources[]
     | select(($prevents[.device_policies.prevention.policy_id // ""] // false) | not)
     | {device_id, hostname, policy: .device_policies.prevention.policy_id}];
