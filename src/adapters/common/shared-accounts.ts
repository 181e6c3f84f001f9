/**
 * Shared/generic account heuristics (PCI DSS 8.2.2: group, shared or generic IDs are an exception
 * that must be justified). Vendors have no "shared" flag, so adapters of every identity and
 * technician source flag accounts whose name reads like a role rather than a person.
 *
 * Deliberately narrow: a whole-name match after normalisation, never a substring, so that
 * `admin.jsmith` (a personal admin account) or `Rootes, Anna` is not flagged.
 */

export interface AccountNames {
  username?: string | null;
  email?: string | null;
  displayName?: string | null;
}

/** Role-like names, compared after lower-casing and dropping separators and trailing digits. */
const GENERIC_NAMES: ReadonlySet<string> = new Set([
  'admin',
  'administrator',
  'root',
  'itadmin',
  'helpdesk',
  'support',
  'tech',
  'frontdesk',
  'itsupport',
  'servicedesk',
  'techsupport',
  'reception',
  'shared',
  'sharedaccount',
]);

/** A display name that says so: "Shared mailbox", "Front desk (shared)". */
const SHARED_WORD = /\bshared\b/i;

/**
 * True when the username, the local part of the email or the display name reads like a generic
 * or shared account (`admin`, `helpdesk2`, `IT Admin`, `front-desk@…`, "Shared …").
 * The invariant: false means "no sign of sharing", never "known personal".
 */
export function looksShared(names: AccountNames): boolean {
  const candidates = [accountName(names.username), accountName(names.email), names.displayName];
  if (candidates.some((c) => typeof c === 'string' && GENERIC_NAMES.has(normalise(c)))) return true;
  return typeof names.displayName === 'string' && SHARED_WORD.test(names.displayName);
}

/** `DOMAIN\user` → `user`; `user+tag@example.com` → `user`. */
function accountName(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const afterDomain = value.slice(value.lastIndexOf('\\') + 1);
  const local = afterDomain.split('@')[0] ?? '';
  return local.split('+')[0];
}

function normalise(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/\d+$/, '');
}
