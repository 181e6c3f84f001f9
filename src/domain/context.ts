import type { Principal } from '../auth/scopes.js';
import type { Keyring } from '../core/sealing.js';
import type { Tx } from '../db/client.js';
import type { Catalog } from '../engine/catalog.js';
import type { Signer } from '../reporting/signing-key.js';

/**
 * What every use case receives: the database, who acts (for the audit log), the time, and the
 * service's fixed parts (the rule catalogue, the report signer, the data keys).
 */
export interface UseCaseContext {
  db: Tx;
  principal: Principal;
  requestId?: string;
  now: Date;
  catalog: Catalog;
  signer: Signer;
  keyring: Keyring;
}
