/**
 * Identity exports: Okta (users, factors per user, roles per user — FORMATS.md §1) and Entra ID
 * through Graph (userRegistrationDetails, plus `/users` and a few conditional access policies
 * so that status, last sign-in and enforcement can be judged — FORMATS.md §2–3).
 * Mix (per user): ~88% active, a few % staged/suspended/deprovisioned/locked; ~2% idle 45–90
 * days, ~2.5% dormant beyond 90 days and ~1.5% never signed in; ~4% active with no usable factor; ~15% federated; ~0.3%
 * generic names (helpdesk, frontdesk…); ~1.5% privileged (a third of them without a
 * phishing-resistant factor); Entra ~7% guests, ~0.1% guest admins.
 */
import { clock, createRandom, writeJsonRecords } from '../lib/prng.mjs';

const FIRST = [
  'Alice',
  'Bruno',
  'Carla',
  'Dmitri',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Pavel',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Uma',
  'Viktor',
  'Wen',
  'Xena',
  'Yusuf',
  'Zoe',
];
const LAST = [
  'Nguyen',
  'Ortiz',
  'Smith',
  'Diaz',
  'Kowalski',
  'Petrov',
  'Okafor',
  'Mendes',
  'Tanaka',
  'Schmidt',
  'Rossi',
  'Haddad',
  'Larsen',
  'Moreau',
  'Novak',
  'Silva',
  'Kim',
  'Ali',
  'Brown',
  'Garcia',
];
const GENERIC = ['helpdesk', 'frontdesk', 'reception', 'support', 'itadmin', 'admin'];

function person(rnd, i) {
  const first = rnd.pick(FIRST);
  const last = rnd.pick(LAST);
  const generic = rnd.chance(0.003) ? `${rnd.pick(GENERIC)}${i}` : undefined;
  return { first, last, local: generic ?? `${first}.${last}${i}`.toLowerCase(), generic: generic !== undefined };
}

/** Okta: returns writers for the users (bare array), factors (object) and roles (object) parts. */
export function oktaExport({ seed, anchorMs, count }) {
  const rnd = createRandom(seed, 'okta');
  const c = clock(anchorMs);
  const users = [];
  const org = 'bench-example.okta.com';
  // one pass decides every user; the three parts are then written from it
  for (let i = 0; i < count; i++) {
    const p = person(rnd, i);
    const status = rnd.weighted([
      ['ACTIVE', 88],
      ['STAGED', 1.5],
      ['PROVISIONED', 1.5],
      ['SUSPENDED', 2],
      ['DEPROVISIONED', 3],
      ['LOCKED_OUT', 1],
      ['PASSWORD_EXPIRED', 2],
      ['RECOVERY', 1],
    ]);
    const provider = rnd.weighted([
      ['OKTA', 78],
      ['FEDERATION', 15],
      ['ACTIVE_DIRECTORY', 7],
    ]);
    const login = rnd.weighted([
      ['recent', 94],
      ['stale45', 2],
      ['dormant', 2.5],
      ['never', 1.5],
    ]);
    const createdDays = rnd.int(30, 1500);
    const lastLoginDays =
      login === 'recent'
        ? rnd.next() * 30
        : login === 'stale45'
          ? 46 + rnd.next() * 43
          : login === 'dormant'
            ? 91 + rnd.next() * 400
            : null;
    const privileged = rnd.chance(0.015);
    const noFactor = rnd.chance(0.04);
    const factors = [];
    const factor = (type, provider_, statusF, profile) =>
      factors.push({
        id: `${type.slice(0, 3)}${rnd.hex(17)}`,
        factorType: type,
        provider: provider_,
        vendorName: provider_,
        status: statusF,
        created: c.isoFrac(createdDays - 1, 3, rnd),
        lastUpdated: c.isoFrac(rnd.int(1, 300), 3, rnd),
        profile,
        _links: { self: { href: `https://${org}/api/v1/users/x/factors/f`, hints: { allow: ['GET', 'DELETE'] } } },
      });
    if (!noFactor) {
      if (privileged ? rnd.chance(0.66) : rnd.chance(0.25))
        factor('webauthn', 'FIDO', 'ACTIVE', { credentialId: rnd.hex(64), authenticatorName: 'YubiKey 5 NFC' });
      if (rnd.chance(0.7))
        factor('push', 'OKTA', 'ACTIVE', {
          credentialId: `${p.local}@example.com`,
          deviceType: 'SmartPhone_IPhone',
          name: 'iPhone',
          platform: rnd.pick(['IOS', 'ANDROID']),
          version: '17.4',
        });
      if (rnd.chance(0.3))
        factor(
          'token:software:totp',
          'GOOGLE',
          rnd.weighted([
            ['ACTIVE', 9],
            ['PENDING_ACTIVATION', 1],
          ]),
          { credentialId: `${p.local}@example.com` },
        );
      if (rnd.chance(0.2) || factors.length === 0)
        factor('sms', 'OKTA', 'ACTIVE', { phoneNumber: `+1555${rnd.digits(7)}` });
    } else if (rnd.chance(0.5)) {
      factor(rnd.pick(['question', 'sms']), 'OKTA', rnd.pick(['INACTIVE', 'PENDING_ACTIVATION']), {
        question: 'disliked_food',
      });
    }
    const roles = privileged
      ? [
          {
            id: `ra${rnd.hex(16)}`,
            label: 'Super Organization Administrator',
            type: rnd.pick(['SUPER_ADMIN', 'ORG_ADMIN', 'APP_ADMIN']),
            status: 'ACTIVE',
            created: c.iso(200),
            lastUpdated: c.iso(100),
            assignmentType: 'USER',
          },
        ]
      : null;
    const id = `00u${rnd.hex(17)}`;
    users.push({
      user: {
        id,
        status,
        created: c.isoFrac(createdDays, 3, rnd),
        activated: status === 'STAGED' ? null : c.isoFrac(createdDays - 0.01, 3, rnd),
        statusChanged: c.isoFrac(rnd.int(1, createdDays), 3, rnd),
        lastLogin: lastLoginDays === null ? null : c.isoFrac(lastLoginDays, 3, rnd),
        lastUpdated: c.isoFrac(rnd.int(1, 100), 3, rnd),
        passwordChanged: provider === 'OKTA' ? c.isoFrac(rnd.int(1, 400), 3, rnd) : null,
        type: { id: 'oty1a2b3c4d5e6f7g8h9' },
        profile: {
          firstName: p.generic ? 'Shared' : p.first,
          lastName: p.generic ? 'Account' : p.last,
          mobilePhone: null,
          secondEmail: null,
          login: `${p.local}@example.com`,
          email: `${p.local}@example.com`,
        },
        credentials: {
          password: provider === 'OKTA' ? {} : null,
          emails: [{ value: `${p.local}@example.com`, status: 'VERIFIED', type: 'PRIMARY' }],
          provider: { type: provider, name: provider },
        },
        _links: { self: { href: `https://${org}/api/v1/users/${id}` } },
      },
      factors,
      roles,
    });
  }
  const objectPart = (fd, writeSync, key) => {
    // `{"<user id>": [...], …}`, written entry by entry
    const entries = users.filter((u) => key === 'factors' || u.roles !== null);
    const serialize = (e) => `${JSON.stringify(e.user.id)}:${JSON.stringify(e[key])}`;
    const { bytes } = writeJsonRecords(
      fd,
      writeSync,
      '{',
      { count: entries.length, serialize },
      (i) => entries[i],
      '}',
    );
    return bytes;
  };
  return {
    writeUsers: (fd, writeSync) =>
      writeJsonRecords(fd, writeSync, '[', { count: users.length }, (i) => users[i].user, ']').bytes,
    writeFactors: (fd, writeSync) => objectPart(fd, writeSync, 'factors'),
    writeRoles: (fd, writeSync) => objectPart(fd, writeSync, 'roles'),
  };
}

const ENTRA_METHODS_STRONG = [
  'fido2',
  'windowsHelloForBusiness',
  'passKeyDeviceBound',
  'passKeyDeviceBoundAuthenticator',
];
const ENTRA_METHODS_WEAK = ['microsoftAuthenticatorPush', 'softwareOneTimePasscode', 'mobilePhone', 'email'];

/** Entra: registrations (OData page), users (OData page) and conditional access policies. */
export function entraExport({ seed, anchorMs, count }) {
  const rnd = createRandom(seed, 'entra');
  const c = clock(anchorMs);
  const regs = [];
  const dir = [];
  const breakGlass = [];
  for (let i = 0; i < count; i++) {
    const p = person(rnd, i);
    const guest = rnd.chance(0.07);
    const isAdmin = guest ? rnd.chance(0.015) : rnd.chance(0.015);
    const mfa = guest ? rnd.chance(0.3) : rnd.chance(0.955);
    const methods = mfa
      ? [
          ...(isAdmin
            ? rnd.chance(0.7)
              ? [rnd.pick(ENTRA_METHODS_STRONG)]
              : []
            : rnd.chance(0.2)
              ? [rnd.pick(ENTRA_METHODS_STRONG)]
              : []),
          rnd.pick(ENTRA_METHODS_WEAK),
          ...(rnd.chance(0.3) ? ['softwareOneTimePasscode'] : []),
        ]
      : rnd.chance(0.3)
        ? ['email']
        : [];
    const id = rnd.uuid();
    if (isAdmin && !guest && breakGlass.length < 2) breakGlass.push(id);
    const upn = guest ? `${p.local}_partner.example#EXT#@benchtenant.onmicrosoft.com` : `${p.local}@bench.example`;
    regs.push({
      id,
      userPrincipalName: upn,
      userDisplayName: p.generic ? 'Shared Account' : `${p.first} ${p.last}`,
      userType: guest ? 'guest' : 'member',
      isAdmin,
      isSsprRegistered: mfa,
      isSsprEnabled: true,
      isSsprCapable: mfa,
      isMfaRegistered: mfa,
      isMfaCapable: mfa && rnd.chance(0.98),
      isPasswordlessCapable: methods.some((m) => ENTRA_METHODS_STRONG.includes(m)),
      methodsRegistered: methods,
      isSystemPreferredAuthenticationMethodEnabled: true,
      systemPreferredAuthenticationMethods: mfa ? ['push'] : [],
      userPreferredMethodForSecondaryAuthentication: mfa ? 'push' : '',
      lastUpdatedDateTime: c.isoFrac(rnd.next(), 7, rnd),
    });
    const login = rnd.weighted([
      ['recent', 93.5],
      ['stale45', 2],
      ['dormant', 2.5],
      ['never', 1.5],
      ['unknown', 0.5],
    ]);
    const lastDays =
      login === 'recent'
        ? rnd.next() * 30
        : login === 'stale45'
          ? 46 + rnd.next() * 43
          : login === 'dormant'
            ? 91 + rnd.next() * 400
            : null;
    dir.push({
      id,
      accountEnabled: rnd.chance(0.95),
      userType: guest ? 'Guest' : 'Member',
      mail: guest ? `${p.local}@partner.example` : `${p.local}@bench.example`,
      createdDateTime: rnd.chance(0.01) ? null : c.iso(rnd.int(30, 1500)),
      signInActivity:
        login === 'unknown'
          ? null
          : {
              lastSignInDateTime: lastDays === null ? null : c.isoFrac(lastDays, 7, rnd),
              lastNonInteractiveSignInDateTime: null,
            },
    });
  }
  const policy = (name, state, users, controls) => ({
    id: rnd.uuid(),
    templateId: null,
    displayName: name,
    createdDateTime: c.isoFrac(400, 7, rnd),
    modifiedDateTime: null,
    state,
    sessionControls: null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: ['all'],
      servicePrincipalRiskLevels: [],
      platforms: null,
      locations: null,
      applications: {
        includeApplications: ['All'],
        excludeApplications: [],
        includeUserActions: [],
        includeAuthenticationContextClassReferences: [],
      },
      users: {
        includeUsers: users.include,
        excludeUsers: users.exclude,
        includeGroups: [],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
      },
    },
    grantControls: {
      operator: 'OR',
      builtInControls: controls,
      customAuthenticationFactors: [],
      termsOfUse: [],
      authenticationStrength: null,
    },
  });
  const policies = [
    policy('CA001: Require MFA for all users', 'enabled', { include: ['All'], exclude: breakGlass }, ['mfa']),
    policy('CA002: Block legacy authentication', 'enabled', { include: ['All'], exclude: [] }, ['block']),
    policy(
      'CA003: Require compliant device (report-only)',
      'enabledForReportingButNotEnforced',
      { include: ['All'], exclude: [] },
      ['compliantDevice'],
    ),
  ];
  const odata = (ctx) => `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#${ctx}","value":[`;
  return {
    writeRegistrations: (fd, writeSync) =>
      writeJsonRecords(
        fd,
        writeSync,
        odata('reports/authenticationMethods/userRegistrationDetails'),
        { count: regs.length },
        (i) => regs[i],
        ']}',
      ).bytes,
    writeUsers: (fd, writeSync) =>
      writeJsonRecords(
        fd,
        writeSync,
        odata('users(id,accountEnabled,userType,mail,createdDateTime,signInActivity)'),
        { count: dir.length },
        (i) => dir[i],
        ']}',
      ).bytes,
    policies: {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies',
      value: policies,
    },
  };
}
