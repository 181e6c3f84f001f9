import { SNAPSHOT_KINDS } from '../../../core/vocabulary.js';
import { ingestSnapshot } from '../../../domain/ingest-snapshot.js';
import { INGEST_SOURCES } from '../../../domain/parse-export.js';
import { AppError } from '../../../core/errors.js';
import { parseCollectedAt, parseLabels } from '../../ingest/headers.js';
import { readWithin } from '../../body-timeout.js';
import { readBody } from '../../ingest/read-body.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { ingestResponseSchema } from './schemas.js';

interface IngestQuery {
  source: string;
  kind?: string;
  instance?: string;
  internetInterfaces?: string;
}

export default defineRoute<IngestQuery>({
  method: 'post',
  path: '/v1/tenants/:tenant/snapshots',
  operationId: 'ingestSnapshot',
  summary: "Ingest a vendor export as the vendor's tool wrote it (or a canonical document)",
  description:
    'Single-part sources take the export as the body; multi-part sources take multipart/form-data, one part per export, a part repeated once per page. Equal to the latest snapshot of the same (source, instance): 200 with its id.',
  tag: 'snapshots',
  auth: 'snapshots:write',
  audit: 'snapshot.create',
  query: {
    type: 'object',
    additionalProperties: false,
    required: ['source'],
    properties: {
      source: {
        type: 'string',
        maxLength: 40,
        // the sources as data (the console's source picker reads them); not an enum, so that an
        // unknown source keeps its 400 unknown_source listing them
        examples: [...INGEST_SOURCES],
        description:
          'okta, entra, duo, crowdstrike, defender, sentinelone, iptables-save, nftables, pfsense, opnsense, aws-security-groups, ninjaone, connectwise, datto-rmm, kaseya-vsa, or canonical',
      },
      kind: {
        type: 'string',
        maxLength: 40,
        examples: [...SNAPSHOT_KINDS],
        description: 'with source=canonical: identity, endpoint, firewall or technicians',
      },
      instance: {
        type: 'string',
        pattern: '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$',
        description: 'tells apart two exports of one source; default: from the export, else "default"',
      },
      internetInterfaces: {
        type: 'string',
        pattern: '^[A-Za-z0-9._:+@-]{1,64}(,[A-Za-z0-9._:+@-]{1,64}){0,63}$',
        description: 'firewall interfaces facing the internet, comma-separated (when the export does not say)',
      },
    },
  },
  headers: [
    { name: 'X-Posture-Labels', description: 'key=value, key=value', schema: { type: 'string' } },
    {
      name: 'X-Collected-At',
      description:
        'when the export was taken (RFC 3339 with a zone), for an export that does not stamp its own time: a time the export stamps on itself comes first (a differing header is named in a warning); without either, the receipt time. Later than now (beyond 5 minutes of clock tolerance): 422',
      schema: { type: 'string', format: 'date-time' },
    },
  ],
  body: {
    raw: true,
    contentTypes: ['application/json', 'application/xml', 'text/plain', 'multipart/form-data'],
    description: 'the export',
  },
  responses: {
    201: { description: 'stored', schema: ingestResponseSchema },
    200: {
      description: 'equal to the latest snapshot of this (source, instance): nothing new stored',
      schema: ingestResponseSchema,
    },
    ...errorResponses(400, 401, 403, 404, 413, 415, 422, 503),
  },
  handler: async ({ req, deps, tenant, query, ctx }) => {
    const labels = parseLabels(req.header('x-posture-labels'));
    const collectedAt = parseCollectedAt(req.header('x-collected-at'));
    if (!req.headers['content-type']) throw new AppError('unsupported_media_type', 'send a Content-Type');
    const {
      created,
      snapshot: s,
      evaluation,
    } = await ingestSnapshot(ctx, {
      tenant,
      source: query.source,
      kind: query.kind,
      instance: query.instance,
      internetInterfaces: query.internetInterfaces?.split(','),
      contentType: req.headers['content-type'],
      body: () => readWithin(req, deps.config.bodyTimeout, () => readBody(req, deps.config.maxSnapshotBytes)),
      labels,
      collectedAt,
    });
    return {
      status: created ? 201 : 200,
      headers: { Location: `/v1/tenants/${tenant.slug}/snapshots/${s.id}` },
      body: {
        id: s.id,
        kind: s.kind,
        source: s.source,
        instance: s.instance,
        sha256: s.sha256,
        itemCount: s.itemCount,
        collectedAt: s.collectedAt.toISOString(),
        collectedAtSource: s.collectedAtSource,
        configChangedAt: s.configChangedAt?.toISOString() ?? null,
        lastConfirmedAt: s.lastConfirmedAt?.toISOString() ?? null,
        receivedAt: s.receivedAt.toISOString(),
        warnings: s.warnings,
        evaluation,
      },
    };
  },
});
