/**
 * The canonical snapshot kinds: the contract between ingest (adapters, and the `canonical`
 * source, which accepts exactly these documents) and the rule engine.
 *
 * Conventions every rule relies on:
 * - an ABSENT optional field means "the export does not say" (→ insufficient_evidence when a
 *   rule reads it);
 * - a present `null` means "known none" (e.g. `lastLoginAt: null` = never logged in,
 *   `signaturesUpToDate: null` = the product has no signatures);
 * - vendor values that map to nothing we know become `unknown`.
 * Every item carries `origin`: where in the raw export it came from.
 */
import type { SnapshotKind } from '../core/vocabulary.js';
import type { JsonSchema } from './json-schema.js';

const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const strings = { type: 'array', items: { type: 'string' } } as const;

export const originSchema = {
  $id: 'posture:canonical/origin',
  type: 'object',
  description:
    'Where the item came from in the raw export: the part name (and page, when the part was given several times) and a JSON Pointer or a 1-based line number.',
  additionalProperties: false,
  required: ['part'],
  properties: {
    part: { type: 'string', minLength: 1 },
    page: { type: 'integer', minimum: 0 },
    pointer: { type: 'string' },
    line: { type: 'integer', minimum: 1 },
  },
} as const satisfies JsonSchema;

const origin = { $ref: 'posture:canonical/origin' } as const;

export const mfaSchema = {
  $id: 'posture:canonical/mfa',
  type: 'object',
  description:
    'MFA state. `registered`: at least one usable (active, non-knowledge) second factor. Absent when the source cannot tell (e.g. federated users whose MFA happens at another IdP).',
  additionalProperties: false,
  properties: {
    registered: { type: 'boolean' },
    bypass: { type: 'boolean', description: 'the account may skip MFA (e.g. Duo `bypass`)' },
    factors: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'status', 'phishingResistant'],
        properties: {
          type: {
            enum: [
              'webauthn',
              'u2f',
              'fastpass',
              'passkey',
              'windows_hello',
              'certificate',
              'push',
              'totp',
              'hotp',
              'hardware_otp',
              'sms',
              'call',
              'email',
              'question',
              'temporary_access_pass',
              'unknown',
            ],
          },
          status: { enum: ['active', 'inactive', 'pending', 'unknown'] },
          phishingResistant: { type: 'boolean' },
        },
      },
    },
  },
} as const satisfies JsonSchema;

const mfa = { $ref: 'posture:canonical/mfa' } as const;

const accountStatus = {
  enum: ['active', 'inactive', 'suspended', 'deprovisioned', 'pending', 'locked', 'unknown'],
} as const;

export const identitySchema = {
  $id: 'posture:canonical/identity',
  title: 'Canonical identity snapshot',
  type: 'object',
  additionalProperties: false,
  required: ['users'],
  properties: {
    users: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'source', 'username', 'status', 'accountType', 'authSource', 'origin'],
        properties: {
          id: { type: 'string', minLength: 1 },
          source: { type: 'string', minLength: 1 },
          username: { type: 'string' },
          email: { type: ['string', 'null'] },
          displayName: { type: ['string', 'null'] },
          status: accountStatus,
          accountType: { enum: ['human', 'shared', 'service', 'guest', 'unknown'] },
          privileged: { type: 'boolean' },
          roles: strings,
          authSource: { enum: ['local', 'federated', 'unknown'] },
          lastLoginAt: nullableDateTime,
          createdAt: nullableDateTime,
          mfa,
          origin,
        },
      },
    },
    policies: {
      type: 'array',
      description:
        'MFA-relevant access policies: Entra conditional access policies, or Okta policy rules (one per rule of a global session or app sign-in policy, `<policy id>/<rule id>`). Absent: the export has none.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'id',
          'name',
          'state',
          'requiresMfa',
          'appliesToAllUsers',
          'excludedUsers',
          'excludedRoles',
          'origin',
        ],
        properties: {
          id: { type: 'string', minLength: 1 },
          name: { type: 'string' },
          state: { enum: ['enforced', 'report_only', 'disabled'] },
          requiresMfa: { type: 'boolean' },
          appliesToAllUsers: { type: 'boolean' },
          excludedUsers: {
            ...strings,
            description:
              'user ids (or usernames/emails), `group:<id>` for groups, Entra `guestType:<kind>`; for Okta also the people an earlier one-factor rule takes first',
          },
          excludedRoles: strings,
          limitedTo: {
            ...strings,
            description:
              'conditions that make the policy apply to only some sign-ins (e.g. applications, locations, clientAppTypes, signInRiskLevels; Okta `earlierRule:<policy> / <rule>` when an earlier one-factor rule takes some sign-ins first, `other:<condition>` for a condition not read); absent or empty: none known',
          },
          origin,
        },
      },
    },
  },
} as const satisfies JsonSchema;

export const endpointSchema = {
  $id: 'posture:canonical/endpoint',
  title: 'Canonical endpoint (EDR) snapshot',
  type: 'object',
  additionalProperties: false,
  required: ['endpoints'],
  properties: {
    endpoints: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'source', 'hostname', 'origin'],
        properties: {
          id: { type: 'string', minLength: 1 },
          source: { type: 'string', minLength: 1 },
          hostname: { type: 'string' },
          os: { type: ['string', 'null'] },
          managed: {
            type: 'boolean',
            description:
              'an agent is installed; false: a discovered device without one; absent: the export does not say (e.g. a Defender machine without onboardingStatus or agentVersion)',
          },
          agent: {
            type: 'object',
            additionalProperties: false,
            required: ['vendor', 'health'],
            properties: {
              vendor: { type: 'string' },
              version: { type: ['string', 'null'] },
              upToDate: { type: 'boolean' },
              lastSeenAt: nullableDateTime,
              health: { enum: ['healthy', 'degraded', 'inactive', 'unknown'] },
            },
          },
          protection: {
            type: 'object',
            additionalProperties: false,
            required: ['mode'],
            properties: {
              mode: { enum: ['prevent', 'detect', 'off', 'unknown'] },
              tamperProtection: { type: 'boolean' },
              signaturesUpToDate: {
                type: ['boolean', 'null'],
                description: 'null: the product has no signatures (not applicable)',
              },
            },
          },
          activeThreats: { type: 'integer', minimum: 0 },
          contained: { type: 'boolean' },
          origin,
        },
      },
    },
  },
} as const satisfies JsonSchema;

export const firewallSchema = {
  $id: 'posture:canonical/firewall',
  title: 'Canonical firewall snapshot',
  type: 'object',
  additionalProperties: false,
  required: ['devices', 'rules'],
  properties: {
    devices: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'source', 'name', 'defaultInbound', 'internetInterfaces', 'origin'],
        properties: {
          id: { type: 'string', minLength: 1 },
          source: { type: 'string', minLength: 1 },
          name: { type: 'string' },
          defaultInbound: { enum: ['allow', 'deny', 'unknown'] },
          defaultOutbound: {
            enum: ['allow', 'deny', 'unknown'],
            description:
              'what the device does with outbound traffic no rule denies: iptables/nftables the OUTPUT chain / output hook policy (or the first unconditional verdict); AWS `deny` (a group denies what its egress permissions do not allow; its default allow-all egress rule is an outbound rule like any other); unknown: the export does not show it; absent: the source has no outbound policy (pfSense/OPNsense)',
          },
          internetInterfaces: {
            type: ['array', 'null'],
            items: { type: 'string' },
            description:
              'interfaces that face the internet; null: unknown (neither the export, nor ?internetInterfaces=, nor its NAT rules say)',
          },
          internetInterfacesFrom: {
            enum: ['export', 'request', 'nat-rules'],
            description:
              'where internetInterfaces came from: the export (pfSense/OPNsense WAN and DHCP/PPPoE/gateway interfaces), the request (?internetInterfaces=, which always wins), or inferred from the NAT rules (the out-interface of a MASQUERADE/SNAT rule, the in-interface of a DNAT rule; the snapshot carries a warning naming them); absent: not said',
          },
          origin,
        },
      },
    },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'id',
          'device',
          'enabled',
          'action',
          'direction',
          'interface',
          'protocol',
          'sources',
          'destinations',
          'ports',
          'log',
          'exposure',
          'origin',
        ],
        properties: {
          id: { type: 'string', minLength: 1, description: "the vendor's rule id, else a hash of the rule's content" },
          device: { type: 'string', minLength: 1 },
          enabled: { type: 'boolean' },
          action: { enum: ['allow', 'deny'] },
          direction: { enum: ['inbound', 'outbound', 'forward'] },
          interface: { type: ['string', 'null'], description: 'null: any interface' },
          protocol: {
            type: 'string',
            // Rules compare protocol names as written (`p in ['tcp', 'udp']`): a `TCP` would pass
            // every check unjudged. Only upper-case letters are refused — vendors name rare
            // protocols with digits, dots, dashes and slashes.
            pattern: '^[^A-Z]*$',
            description:
              '`any`, a lower-case protocol name (`tcp`, `udp`, `icmp`, `icmpv6`, `tcp/udp`…) or an IANA number',
          },
          sources: {
            ...strings,
            description:
              'resolved addresses: CIDRs (`0.0.0.0/0` and `::/0` for any), `!CIDR` for a negated match, or `ref:<name>` for a reference that could not be resolved',
          },
          destinations: strings,
          ports: {
            type: 'array',
            description: 'destination port ranges; empty: every port (or the protocol has none)',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['from', 'to'],
              properties: {
                from: { type: 'integer', minimum: 0, maximum: 65535 },
                to: { type: 'integer', minimum: 0, maximum: 65535 },
              },
            },
          },
          log: { type: 'boolean' },
          exposure: {
            enum: ['internet', 'restricted', 'internal', 'unknown'],
            description:
              'whether traffic this rule matches can come from the internet, after aliases, sets, prefix lists and NAT are resolved: internet (from public addresses on an internet-facing interface), restricted (the same, but the public sources are an allow-list: plain networks adding up to at most 256 public addresses, e.g. an MSP NOC /24 or an office IP), internal, or unknown (an unresolved source, a named interface whose facing is unknown, a condition the export cannot show)',
          },
          assumed: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description:
              'facts the exposure rests on that the export does not state: ["internetInterfaces"] when the rule was judged internet-facing because its device\'s internet interfaces are unknown (a rule bound to no interface) or inferred from its NAT rules',
          },
          description: { type: ['string', 'null'] },
          origin,
        },
      },
    },
  },
} as const satisfies JsonSchema;

export const techniciansSchema = {
  $id: 'posture:canonical/technicians',
  title: "Canonical snapshot of the MSP's own technician accounts",
  type: 'object',
  additionalProperties: false,
  required: ['technicians'],
  properties: {
    technicians: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'source', 'name', 'status', 'clientAccess', 'origin'],
        properties: {
          id: { type: 'string', minLength: 1 },
          source: { type: 'string', minLength: 1 },
          name: { type: 'string' },
          email: { type: ['string', 'null'] },
          status: accountStatus,
          shared: { type: 'boolean' },
          privileged: { type: 'boolean' },
          roles: strings,
          clientAccess: {
            type: ['array', 'null'],
            items: { type: 'string', pattern: '^(\\*|[a-z0-9][a-z0-9-]{0,62})$' },
            description: 'client tenant slugs, ["*"] for every client, or null when the export does not say',
          },
          lastLoginAt: nullableDateTime,
          mfa,
          origin,
        },
      },
    },
  },
} as const satisfies JsonSchema;

export const canonicalSchemas: Record<SnapshotKind, JsonSchema> & {
  identity: typeof identitySchema;
  endpoint: typeof endpointSchema;
  firewall: typeof firewallSchema;
  technicians: typeof techniciansSchema;
} = {
  identity: identitySchema,
  endpoint: endpointSchema,
  firewall: firewallSchema,
  technicians: techniciansSchema,
} as const;

/** Shared sub-schemas referenced by `$ref` from the kind schemas; register them with ajv first. */
export const canonicalSharedSchemas = [originSchema, mfaSchema] as const;

export { SNAPSHOT_KINDS, type SnapshotKind } from '../core/vocabulary.js';
