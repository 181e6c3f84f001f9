/**
 * Request body → the adapter for the source and its raw parts. Everything here refuses with a
 * 4xx before anything is stored: an unknown source or kind, a content type the source does not
 * export, a multipart body that cannot be read.
 */
import { adapterFor, SOURCE_NAMES } from '../adapters/registry.js';
import type { RawPart } from '../adapters/run-adapter.js';
import type { Adapter, PartFormat } from '../adapters/types.js';
import { isOneOf, SNAPSHOT_KINDS } from '../core/vocabulary.js';
import { AppError } from '../core/errors.js';
import { splitMultipart } from '../core/multipart.js';

/** Every `?source=` name, for the API's description of the ingest route. */
export const INGEST_SOURCES: readonly string[] = SOURCE_NAMES;

const MEDIA: Record<PartFormat, string[]> = {
  json: ['application/json'],
  xml: ['application/xml', 'text/xml'],
  text: ['text/plain'],
};

export function resolveAdapter(source: string, kind: string | undefined): Adapter {
  if (source === 'canonical' && !isOneOf(SNAPSHOT_KINDS, kind)) {
    throw new AppError('unknown_source', `source=canonical needs kind= one of: ${SNAPSHOT_KINDS.join(', ')}`, [
      { in: 'query', pointer: '/kind', message: `must be one of ${SNAPSHOT_KINDS.join(', ')}` },
    ]);
  }
  const adapter = adapterFor(source, kind);
  if (adapter) return adapter;
  if (adapterFor(source)) {
    throw new AppError(
      'unknown_source',
      `source ${source} exports ${adapterFor(source)!.kind} snapshots, not ${kind}`,
      [{ in: 'query', pointer: '/kind', message: `must be ${adapterFor(source)!.kind} for source ${source}` }],
    );
  }
  throw new AppError('unknown_source', `unknown source "${source}"; the sources are: ${SOURCE_NAMES.join(', ')}`, [
    { in: 'query', pointer: '/source', message: `must be one of ${SOURCE_NAMES.join(', ')}` },
  ]);
}

/** The raw parts of the body: a multipart body's parts, or the whole body as the source's body part. */
export async function partsOf(adapter: Adapter, contentType: string | undefined, body: Buffer): Promise<RawPart[]> {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'multipart/form-data') return splitMultipart(body, contentType!);
  const part = adapter.parts.find((p) => p.name === adapter.bodyPart)!;
  const accepted = MEDIA[part.format];
  const ok =
    accepted.includes(mediaType) || (part.format === 'json' && /^application\/[\w.+-]+\+json$/.test(mediaType));
  if (!ok) {
    throw new AppError(
      'unsupported_media_type',
      `source ${adapter.source} takes ${accepted.join(' or ')}${adapter.parts.length > 1 ? ', or multipart/form-data with the parts ' + adapter.parts.map((p) => p.name).join(', ') : ''} (got ${mediaType || 'no Content-Type'})`,
    );
  }
  return [{ name: adapter.bodyPart, bytes: body }];
}
