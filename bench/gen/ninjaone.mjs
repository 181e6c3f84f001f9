/**
 * NinjaOne: the MSP's technicians (`GET /v2/user/technicians`, bare array, FORMATS.md §12a) and
 * their login activities (`GET /v2/activities`, ActivitiesResponse, epoch seconds as doubles).
 * Mix (per technician): ~5% disabled, ~4% no MFA (NATIVE auth), ~30% SSO (MFA at the IdP:
 * unknown here), ~6% administrators, ~10% allowed every client, ~4% dormant beyond 90 days, ~2%
 * no login in the activity window, ~0.5% shared-looking logins (helpdesk, NOC Shared…).
 */
import { clock, createRandom, writeJsonRecords } from '../lib/prng.mjs';

const FIRST = [
  'Hana',
  'Ivan',
  'Alice',
  'Bruno',
  'Carla',
  'Dev',
  'Erik',
  'Fatima',
  'Goran',
  'Hugo',
  'Isla',
  'Jun',
  'Kira',
  'Luca',
  'Mira',
  'Nils',
];
const LAST = [
  'Kowalski',
  'Petrov',
  'Nguyen',
  'Okafor',
  'Mendes',
  'Patel',
  'Berg',
  'Rahman',
  'Ivanic',
  'Lopez',
  'Reid',
  'Sato',
  'Volkov',
  'Conti',
  'Shah',
  'Holm',
];
const ROLES = [
  'Tier 1 Technician',
  'Tier 2 Technician',
  'Tier 3 Technician',
  'Patch Management',
  'Backup Operator',
  'NOC',
];

export function ninjaoneExport({ seed, anchorMs, count }) {
  const rnd = createRandom(seed, 'ninjaone');
  const c = clock(anchorMs);
  const technicians = [];
  const activities = [];
  let activityId = 900000;
  for (let i = 0; i < count; i++) {
    const id = 1000 + i;
    const shared = rnd.chance(0.005);
    const first = shared ? rnd.pick(['Helpdesk', 'NOC', 'Support']) : rnd.pick(FIRST);
    const last = shared ? 'Shared' : rnd.pick(LAST);
    const sso = rnd.chance(0.3);
    const admin = rnd.chance(0.06);
    technicians.push({
      id,
      uid: rnd.uuid(),
      firstName: first,
      lastName: last,
      email: shared
        ? `${first.toLowerCase()}${i}@msp.example.com`
        : `${first}.${last}${i}@msp.example.com`.toLowerCase(),
      phone: rnd.chance(0.4) ? `+1-202-555-${rnd.digits(4)}` : null,
      enabled: rnd.chance(0.95),
      administrator: admin,
      permitAllClients: admin || rnd.chance(0.05),
      notifyAllClients: rnd.chance(0.3),
      mustChangePw: false,
      mfaConfigured: rnd.chance(0.96),
      userType: 'TECHNICIAN',
      invitationStatus: rnd.weighted([
        ['REGISTERED', 97],
        ['PENDING', 2],
        ['EXPIRED', 1],
      ]),
      organizationId: null,
      deviceIds: [],
      assignedDeviceIds: [],
      tags: null,
      fields: null,
      scimUser: sso,
      authType: sso ? 'SSO' : 'NATIVE',
      roles: admin ? [] : [rnd.pick(ROLES), ...(rnd.chance(0.3) ? [rnd.pick(ROLES)] : [])],
    });
    const login = rnd.weighted([
      ['recent', 89],
      ['stale', 5],
      ['dormant', 4],
      ['none', 2],
    ]);
    if (login !== 'none') {
      const days =
        login === 'recent' ? rnd.next() * 10 : login === 'stale' ? 30 + rnd.next() * 59 : 91 + rnd.next() * 200;
      const logins = rnd.int(1, 3);
      for (let k = 0; k < logins; k++) {
        activities.push({
          id: activityId++,
          activityTime: c.epochSeconds(days + k * rnd.next() * 5) + (rnd.chance(0.5) ? 0.25 : 0),
          severity: 'NONE',
          priority: 'NONE',
          activityType: 'SYSTEM',
          statusCode: 'APP_USER_LOGGED_IN',
          status: 'User logged in',
          activityResult: 'SUCCESS',
          subject: 'Login',
          userId: id,
          message: 'User logged in',
          type: 'User',
          data: {},
        });
      }
      if (rnd.chance(0.1))
        activities.push({
          id: activityId++,
          activityTime: c.epochSeconds(days + 1),
          severity: 'NONE',
          priority: 'NONE',
          activityType: 'SYSTEM',
          statusCode: 'APP_USER_AUDIT_FAILED_LOGIN',
          status: 'Failed login',
          activityResult: 'FAILURE',
          subject: 'Login',
          userId: id,
          message: 'Failed login',
          type: 'User',
          data: {},
        });
    }
  }
  return {
    writeTechnicians: (fd, writeSync) =>
      writeJsonRecords(fd, writeSync, '[', { count: technicians.length }, (i) => technicians[i], ']').bytes,
    writeActivities: (fd, writeSync) =>
      writeJsonRecords(
        fd,
        writeSync,
        `{"lastActivityId":${activityId - 1},"activities":[`,
        { count: activities.length },
        (i) => activities[i],
        ']}',
      ).bytes,
  };
}
