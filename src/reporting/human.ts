/**
 * Plain language for the report body: the fields a rule read as "label: value" rows, and finding
 * messages without canonical field paths, `null`, "is absent", milliseconds or markdown. Raw field
 * names and origin pointers are kept for the technical appendix only.
 */

/** Labels of the canonical fields the rules read (paths without array indexes). */
const LABELS: Record<string, string> = {
  username: 'User name',
  email: 'Email',
  displayName: 'Name',
  name: 'Name',
  status: 'Account status',
  accountType: 'Account type',
  authSource: 'Sign-in through',
  privileged: 'Administrator',
  roles: 'Roles',
  groups: 'Groups',
  lastLoginAt: 'Last sign-in',
  createdAt: 'Created',
  'mfa.registered': 'MFA registered',
  'mfa.factors': 'MFA factors',
  'mfa.factors.type': 'MFA factor',
  'mfa.factors.status': 'Factor status',
  'mfa.factors.phishingResistant': 'Phishing-resistant factor',
  'mfa.bypass': 'MFA bypass',
  factors: 'MFA factors',
  policies: 'Sign-in policies',
  hostname: 'Host name',
  os: 'Operating system',
  managed: 'Managed',
  'agent.vendor': 'Security agent',
  'agent.version': 'Agent version',
  'agent.health': 'Agent health',
  'agent.lastSeenAt': 'Agent last seen',
  'agent.upToDate': 'Agent up to date',
  'agent.mode': 'Protection mode',
  'agent.preventionMode': 'Prevention mode',
  'agent.signaturesUpdatedAt': 'Signatures updated',
  tamperProtection: 'Tamper protection',
  activeThreats: 'Active threats',
  action: 'Action',
  direction: 'Direction',
  protocol: 'Protocol',
  'ports.from': 'Ports from',
  'ports.to': 'Ports to',
  ports: 'Ports',
  sources: 'Sources',
  destinations: 'Destinations',
  exposure: 'Exposure',
  enabled: 'Enabled',
  log: 'Logged',
  device: 'Device',
  description: 'Description',
  interface: 'Interface',
  items: 'Items affected',
  reason: 'Why',
  collectedAt: 'Collected',
  clientAccess: 'Client access',
  mfa: 'MFA',
  id: 'Identifier',
};

/** Keys never printed: contact numbers and anything secret-looking. */
const WITHHELD = /phone|mobile|msisdn|fax|^sms|password|passwd|secret|token|api[-_]?key|private[-_]?key|credential/i;

/** A field's label: from the table, else its last name split into words ("lastSeenAt" → "Last seen at"). */
export function fieldLabel(path: string): string {
  const plain = path.replace(/\.\d+(?=\.|$)/g, '');
  const known = LABELS[plain];
  if (known) return known;
  const last = plain.split('.').pop() ?? plain;
  const words = last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ISO = /\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?\b/g;

/** ISO times as "2026-11-19 13:41 UTC" (seconds only when not zero; never fractions). */
export function humanTimes(text: string): string {
  return text.replace(ISO, (_m, day: string, hm: string, s: string | undefined, zone: string | undefined) => {
    const secs = s && s !== '00' ? `:${s}` : '';
    const z = zone === undefined || zone === 'Z' ? ' UTC' : ` ${zone}`;
    return `${day} ${hm}${secs}${z}`;
  });
}

/** A value as a person reads it: yes/no, "not stated", lists joined, times without milliseconds. */
export function humanValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return 'not stated';
  if (v === true) return 'yes';
  if (v === false) return 'no';
  if (v instanceof Date) return humanTimes(v.toISOString());
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.map(humanValue).join(', ');
  if (typeof v === 'object') return `${Object.keys(v).length} fields`;
  return humanTimes(String(v));
}

/** Fields that name the item or decide whether a rule applies: shown after the judged ones. */
const CONTEXT = new Set([
  'id',
  'username',
  'email',
  'name',
  'displayName',
  'hostname',
  'status',
  'accountType',
  'authSource',
  'managed',
  'device',
  'enabled',
  'agent.vendor',
  'os',
]);

export interface EvidenceRow {
  label: string;
  value: string;
  /** the canonical field path (the appendix prints it) */
  path: string;
}

/** The fields a rule read, as label/value rows (origin pointers left out; contact details and secrets withheld). */
export function evidenceRows(evidence: Record<string, unknown>, max = 8): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  walk(evidence, '', rows, max * 4);
  // what the rule judged first; the fields that only say which item it is, or whether it applies, after
  const context = (r: EvidenceRow) => (CONTEXT.has(r.path.replace(/\.\d+(?=\.|$)/g, '')) ? 1 : 0);
  rows.sort((a, b) => context(a) - context(b));
  const seen = new Set<string>();
  const out = rows.filter((r) => {
    const key = `${r.label}\u0000${r.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (out.length <= max) return out;
  return [
    ...out.slice(0, max - 1),
    { label: 'More', value: `${out.length - max + 1} more fields (appendix)`, path: '' },
  ];
}

function walk(value: unknown, path: string, rows: EvidenceRow[], cap: number): void {
  if (rows.length >= cap) return;
  if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null)) {
    value.forEach((v, i) => walk(v, path ? `${path}.${i}` : String(i), rows, cap));
    return;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'origin' || WITHHELD.test(k)) continue;
      walk(v, path ? `${path}.${k}` : k, rows, cap);
    }
    return;
  }
  rows.push({ label: fieldLabel(path), value: humanValue(value), path });
}

/** "cannot be judged: groups is absent" → "the export does not show groups". */
function humanGaps(text: string): string {
  return text
    .replace(
      /\(([A-Za-z][\w.]*) is null\)/g,
      (_m, f: string) => `(the export leaves ${fieldLabel(f).toLowerCase()} empty)`,
    )
    .replace(
      /\b([A-Za-z][\w.]*) is null\b/g,
      (_m, f: string) => `the export leaves ${fieldLabel(f).toLowerCase()} empty`,
    )
    .replace(
      /\b([A-Za-z][\w.]*) is absent\b/g,
      (_m, f: string) => `the export does not show ${fieldLabel(f).toLowerCase()}`,
    )
    .replace(
      /\b([A-Za-z][\w.]*) is unknown\b/g,
      (_m, f: string) => `the export does not say the ${fieldLabel(f).toLowerCase()}`,
    )
    .replace(/cannot be judged:/g, 'cannot be checked:');
}

/** A message in plain words: no markdown, no `null`, no "is absent", no canonical paths, no milliseconds. */
export function humanMessage(text: string): string {
  const plain = humanGaps(humanTimes(text.replace(/[`*]/g, '')));
  return plain
    .replace(/\bnull\b/g, 'not stated')
    .replace(/\s+\((?:created|last seen|since) not stated\)/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** Export hints without markdown ("the Entra `users` part" → "the Entra users part"). */
export function plainHint(text: string): string {
  return humanTimes(text.replace(/[`*]/g, ''));
}
