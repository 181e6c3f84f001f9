/**
 * TypeScript views of the canonical JSON Schemas in ./canonical.ts (hand-written; the adapter
 * tests validate every adapter output against the schemas, which keeps the two in step).
 * Optional (`?`) = absent when the export does not say; `| null` = known none.
 */
export interface Origin {
  part: string;
  page?: number;
  pointer?: string;
  line?: number;
}

export type AccountStatus = 'active' | 'inactive' | 'suspended' | 'deprovisioned' | 'pending' | 'locked' | 'unknown';

export type FactorType =
  | 'webauthn'
  | 'u2f'
  | 'fastpass'
  | 'passkey'
  | 'windows_hello'
  | 'certificate'
  | 'push'
  | 'totp'
  | 'hotp'
  | 'hardware_otp'
  | 'sms'
  | 'call'
  | 'email'
  | 'question'
  | 'temporary_access_pass'
  | 'unknown';

export interface Factor {
  type: FactorType;
  status: 'active' | 'inactive' | 'pending' | 'unknown';
  phishingResistant: boolean;
}

export interface Mfa {
  registered?: boolean;
  bypass?: boolean;
  factors?: Factor[];
}

export interface IdentityUser {
  id: string;
  source: string;
  username: string;
  email?: string | null;
  displayName?: string | null;
  status: AccountStatus;
  accountType: 'human' | 'shared' | 'service' | 'guest' | 'unknown';
  privileged?: boolean;
  roles?: string[];
  authSource: 'local' | 'federated' | 'unknown';
  lastLoginAt?: string | null;
  createdAt?: string | null;
  mfa?: Mfa;
  origin: Origin;
}

export interface IdentityPolicy {
  id: string;
  name: string;
  state: 'enforced' | 'report_only' | 'disabled';
  requiresMfa: boolean;
  appliesToAllUsers: boolean;
  excludedUsers: string[];
  excludedRoles: string[];
  /** conditions narrowing the policy to some sign-ins (applications, locations, …); absent or empty: none known */
  limitedTo?: string[];
  origin: Origin;
}

export interface IdentityDocument {
  users: IdentityUser[];
  policies?: IdentityPolicy[];
}

export interface Endpoint {
  id: string;
  source: string;
  hostname: string;
  os?: string | null;
  /** absent: the export does not say whether an agent is installed */
  managed?: boolean;
  agent?: {
    vendor: string;
    version?: string | null;
    upToDate?: boolean;
    lastSeenAt?: string | null;
    health: 'healthy' | 'degraded' | 'inactive' | 'unknown';
  };
  protection?: {
    mode: 'prevent' | 'detect' | 'off' | 'unknown';
    tamperProtection?: boolean;
    signaturesUpToDate?: boolean | null;
  };
  activeThreats?: number;
  contained?: boolean;
  origin: Origin;
}

export interface EndpointDocument {
  endpoints: Endpoint[];
}

export interface FirewallDevice {
  id: string;
  source: string;
  name: string;
  defaultInbound: 'allow' | 'deny' | 'unknown';
  /** absent: the source has no outbound policy to read (pfSense/OPNsense) */
  defaultOutbound?: 'allow' | 'deny' | 'unknown';
  internetInterfaces: string[] | null;
  /**
   * where internetInterfaces came from: the export itself (pfSense/OPNsense WAN), the request
   * (`?internetInterfaces=`), or inferred from NAT rules (MASQUERADE/SNAT out-interfaces, DNAT
   * in-interfaces). Absent: not said (null interfaces, a canonical post).
   */
  internetInterfacesFrom?: 'export' | 'request' | 'nat-rules';
  origin: Origin;
}

export type Exposure = 'internet' | 'restricted' | 'internal' | 'unknown';

export interface FirewallRule {
  id: string;
  device: string;
  enabled: boolean;
  action: 'allow' | 'deny';
  direction: 'inbound' | 'outbound' | 'forward';
  interface: string | null;
  protocol: string;
  sources: string[];
  destinations: string[];
  ports: { from: number; to: number }[];
  log: boolean;
  exposure: Exposure;
  /** what the exposure rests on that the export does not show: `["internetInterfaces"]` */
  assumed?: string[];
  description?: string | null;
  origin: Origin;
}

export interface FirewallDocument {
  devices: FirewallDevice[];
  rules: FirewallRule[];
}

export interface Technician {
  id: string;
  source: string;
  name: string;
  email?: string | null;
  status: AccountStatus;
  shared?: boolean;
  privileged?: boolean;
  roles?: string[];
  clientAccess: string[] | null;
  lastLoginAt?: string | null;
  mfa?: Mfa;
  origin: Origin;
}

export interface TechniciansDocument {
  technicians: Technician[];
}

export interface CanonicalDocuments {
  identity: IdentityDocument;
  endpoint: EndpointDocument;
  firewall: FirewallDocument;
  technicians: TechniciansDocument;
}
