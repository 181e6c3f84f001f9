/**
 * The per-device rule index behind `deviceRules`: for rules over firewall `devices`, the CEL
 * variable holds the device's own rules, so a per-device question ("does this device allow all
 * egress?") is asked the same way for every source, with no vendor special case.
 */

const NONE: readonly unknown[] = Object.freeze([]);

/** Do the items of this collection carry `deviceRules`? Only firewall devices. */
export function hasDeviceRules(kind: string, each: string): boolean {
  return kind === 'firewall' && each === 'devices';
}

/**
 * `doc.rules` grouped by `device`, in document order; undefined when the document carries no
 * rules list (then `deviceRules` is absent and a rule reading it is insufficient evidence).
 * NOTE: built once per snapshot in one pass — O(rules) — where `doc.rules.exists(r, r.device ==
 * item.id …)` per device was O(devices × rules): egress-restricted took ~53 s of CPU on a
 * 2,000-device, 20,000-rule document, ~0.09 s with the index (bench/diagnose/firewall-engine.mjs).
 */
export function indexRulesByDevice(document: unknown): ((deviceId: unknown) => readonly unknown[]) | undefined {
  const rules = (document as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) return undefined;
  const index = new Map<unknown, unknown[]>();
  for (const rule of rules) {
    const device = (rule as { device?: unknown } | null)?.device;
    const own = index.get(device);
    if (own) own.push(rule);
    else index.set(device, [rule]);
  }
  return (deviceId) => index.get(deviceId) ?? NONE;
}
