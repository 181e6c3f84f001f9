/**
 * Okta factors (Factors API, one response per user) → canonical MFA state: which factor types
 * are usable second factors, which resist phishing, and when the answer is "cannot tell".
 */
import type { Factor, FactorType, IdentityUser, Mfa } from '../../schemas/canonical-types.js';
import { defined } from './fields.js';

export interface OktaFactor {
  id?: string;
  factorType: string;
  status: string;
}

export const oktaFactorsSchema = {
  $id: 'posture:vendor/okta/factors',
  type: 'object',
  description: "user id → that user's Factors API response",
  additionalProperties: {
    type: 'array',
    items: {
      type: 'object',
      required: ['factorType', 'status'],
      properties: { id: { type: 'string' }, factorType: { type: 'string' }, status: { type: 'string' } },
    },
  },
} as const;

/** `mfa`: whether an active factor of this type is a usable second factor; `undefined` = cannot tell. */
interface FactorClass {
  type: FactorType;
  phishingResistant: boolean;
  mfa: boolean | undefined;
}

/**
 * Okta FastPass (`signed_nonce`) is phishing-resistant only when the authenticator policy demands
 * it, which these exports do not show: it is kept as `fastpass`, not claimed phishing-resistant.
 * `web` is a third-party (Duo, RSA) web factor: real MFA of unknown strength.
 */
const FACTOR_TYPES = new Map<string, FactorClass>([
  ['webauthn', { type: 'webauthn', phishingResistant: true, mfa: true }],
  ['u2f', { type: 'u2f', phishingResistant: true, mfa: true }],
  ['signed_nonce', { type: 'fastpass', phishingResistant: false, mfa: true }],
  ['push', { type: 'push', phishingResistant: false, mfa: true }],
  ['token:software:totp', { type: 'totp', phishingResistant: false, mfa: true }],
  ['token:hotp', { type: 'hotp', phishingResistant: false, mfa: true }],
  ['token', { type: 'hardware_otp', phishingResistant: false, mfa: true }],
  ['token:hardware', { type: 'hardware_otp', phishingResistant: false, mfa: true }],
  ['sms', { type: 'sms', phishingResistant: false, mfa: true }],
  ['call', { type: 'call', phishingResistant: false, mfa: true }],
  ['email', { type: 'email', phishingResistant: false, mfa: true }],
  ['question', { type: 'question', phishingResistant: false, mfa: false }],
  ['web', { type: 'unknown', phishingResistant: false, mfa: true }],
]);
const UNKNOWN_FACTOR: FactorClass = { type: 'unknown', phishingResistant: false, mfa: undefined };

/** Only ACTIVE is usable; statuses Okta added later (FULFILLMENT_PENDING…) are `unknown`, never active. */
const FACTOR_STATUS = new Map<string, Factor['status']>([
  ['ACTIVE', 'active'],
  ['PENDING_ACTIVATION', 'pending'],
  ['ENROLLED', 'pending'],
  ['INACTIVE', 'inactive'],
  ['DISABLED', 'inactive'],
  ['EXPIRED', 'inactive'],
  ['NOT_SETUP', 'inactive'],
]);

/**
 * `registered`: an ACTIVE non-knowledge factor → true. A federated user without one does MFA (or
 * not) at the other IdP, and an active factor of a type we do not know may be MFA: both unknown.
 */
export function oktaMfa(list: OktaFactor[], authSource: IdentityUser['authSource']): Mfa {
  const classified = list.map((f) => ({
    cls: FACTOR_TYPES.get(f.factorType.toLowerCase()) ?? UNKNOWN_FACTOR,
    status: FACTOR_STATUS.get(f.status.toUpperCase()) ?? 'unknown',
  }));
  const active = classified.filter((c) => c.status === 'active');
  let registered: boolean | undefined = false;
  if (active.some((c) => c.cls.mfa === true)) registered = true;
  else if (active.some((c) => c.cls.mfa === undefined) || authSource === 'federated') registered = undefined;
  const factors = classified.map(({ cls, status }) => ({
    type: cls.type,
    status,
    phishingResistant: cls.phishingResistant,
  }));
  return defined({ registered, factors });
}
