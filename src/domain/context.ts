import type { Db } from '../db/client.js';
import type { Principal } from '../auth/scopes.js';

/** What every use case receives: the database, who acts (for the audit log) and the time. */
export interface UseCaseContext {
  db: Db;
  principal: Principal;
  requestId?: string;
  now: Date;
}
