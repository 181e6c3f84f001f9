import type { Principal } from '../auth/scopes.js';
import type { Keyring } from '../core/sealing.js';
import type { ScopedDb } from '../db/scope.js';
import type { Catalog } from '../engine/catalog.js';
import type { Signer } from '../reporting/signing-key.js';
import type { Work } from './work.js';

/**
 * What every use case receives: the database, who acts (for the audit log), the time, and the
 * service's fixed parts (the rule catalogue, the report signer, the data keys, the worker pool).
 */
export interface UseCaseContext {
  /** every database read and write goes through one of its transactions, scoped to the caller's reach */
  db: ScopedDb;
  /** the few reads that must cross tenants (each named; listed in the README) */
  system: (reason: string) => ScopedDb;
  principal: Principal;
  requestId?: string;
  now: Date;
  catalog: Catalog;
  signer: Signer;
  keyring: Keyring;
  /** where the CPU-heavy steps run (parse, normalise, evaluate, render): the service's worker pool */
  work: Work;
}
