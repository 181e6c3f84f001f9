/**
 * Raw parts of an export → its canonical document: the one pipeline step that the service's
 * ingest and the offline `posture evaluate` share. Pure (no database, no clock); a refusal is an
 * AppError with the pointers, parts and lines of what was wrong.
 */
import { runAdapter } from '../adapters/run-adapter.js';
import { AdapterInputError, type Adapter, type AdapterResult, type ClientRef } from '../adapters/types.js';
import { AppError } from '../core/errors.js';
import type { RawPart } from '../core/multipart.js';

export interface NormaliseInput {
  adapter: Adapter;
  parts: readonly RawPart[];
  /** the MSP's clients, for technician exports; none elsewhere */
  clients?: ClientRef[];
  internetInterfaces?: string[];
}

export function normaliseExport(input: NormaliseInput): AdapterResult {
  try {
    return runAdapter(input.adapter, input.parts, {
      clients: input.clients ?? [],
      internetInterfaces: input.internetInterfaces,
    });
  } catch (err) {
    if (!(err instanceof AdapterInputError)) throw err;
    const code = err.status === 400 ? 'malformed_export' : 'invalid_export';
    throw new AppError(code, err.message, err.problems);
  }
}
