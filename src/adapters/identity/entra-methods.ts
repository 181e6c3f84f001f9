/**
 * Entra `methodsRegistered` strings → canonical factors. The list is open-ended and its spellings
 * changed between Graph versions (`fido2` in v1.0 docs, `passKeyDeviceBound*` in beta): every
 * spelling is accepted, case-insensitively, and anything else is an `unknown` factor.
 */
import type { Factor, FactorType } from '../../schemas/canonical-types.js';

interface MethodClass {
  type: FactorType;
  phishingResistant: boolean;
}

/**
 * `methodsRegistered` values, lower-cased. Phishing-resistant = Microsoft's "phishing-resistant
 * MFA" strength (FIDO2/passkeys, Windows Hello, multifactor certificates, macOS platform
 * credential). Authenticator phone sign-in (`microsoftAuthenticatorPasswordless`) is passwordless
 * but approved on a phone like a push: not phishing-resistant. `alternateMobilePhone` and
 * `officePhone` take voice calls only.
 */
const METHODS = new Map<string, MethodClass>([
  ['fido2', { type: 'webauthn', phishingResistant: true }],
  ['fido2securitykey', { type: 'webauthn', phishingResistant: true }],
  ['passkeydevicebound', { type: 'passkey', phishingResistant: true }],
  ['passkeydeviceboundauthenticator', { type: 'passkey', phishingResistant: true }],
  ['passkeysynced', { type: 'passkey', phishingResistant: true }],
  ['macossecureenclavekey', { type: 'passkey', phishingResistant: true }],
  ['passkeydeviceboundwindowshello', { type: 'windows_hello', phishingResistant: true }],
  ['windowshelloforbusiness', { type: 'windows_hello', phishingResistant: true }],
  ['x509certificatemultifactor', { type: 'certificate', phishingResistant: true }],
  ['x509certificatesinglefactor', { type: 'certificate', phishingResistant: false }],
  ['microsoftauthenticatorpasswordless', { type: 'push', phishingResistant: false }],
  ['microsoftauthenticatorpush', { type: 'push', phishingResistant: false }],
  ['softwareonetimepasscode', { type: 'totp', phishingResistant: false }],
  ['hardwareonetimepasscode', { type: 'hardware_otp', phishingResistant: false }],
  ['mobilephone', { type: 'sms', phishingResistant: false }],
  ['alternatemobilephone', { type: 'call', phishingResistant: false }],
  ['officephone', { type: 'call', phishingResistant: false }],
  ['email', { type: 'email', phishingResistant: false }],
  ['securityquestion', { type: 'question', phishingResistant: false }],
  ['temporaryaccesspass', { type: 'temporary_access_pass', phishingResistant: false }],
]);

/** One factor per distinct (type, strength); every listed method is registered, hence `active`. */
export function methodFactors(methods: string[]): Factor[] {
  const out = new Map<string, Factor>();
  for (const m of methods) {
    const cls = METHODS.get(m.toLowerCase()) ?? { type: 'unknown', phishingResistant: false };
    out.set(`${cls.type}/${cls.phishingResistant}`, {
      type: cls.type,
      status: 'active',
      phishingResistant: cls.phishingResistant,
    });
  }
  return [...out.values()];
}
