/**
 * The storage schema. Every table but `tenants` and `signing_certificates` carries `tenant_id`,
 * and every primary key, unique index and foreign key leads with it: a query that forgets the
 * tenant cannot use an index, and the data can be sharded by tenant (e.g. Citus) later.
 * Snapshots, reports and audit rows are immutable once written.
 */
import type { StoredEvaluationResult } from '../core/results.js';
import {
  COLLECTED_AT_SOURCES,
  EVALUATION_TRIGGERS,
  FINDING_STATUSES,
  SEVERITIES,
  SNAPSHOT_KINDS,
  TENANT_KINDS,
  WAIVER_STATUSES,
} from '../core/vocabulary.js';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)),
});

/**
 * A jsonb document that may arrive already serialised: ingest hashes the canonical document's
 * JSON text and stores that same text, instead of serialising a large document twice.
 */
const jsonDocument = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => 'jsonb',
  toDriver: (v) => (typeof v === 'string' ? v : JSON.stringify(v)),
  fromDriver: (v) => (typeof v === 'string' ? JSON.parse(v) : v),
});

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const tenantRef = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id);

export const tenants = pgTable(
  'tenants',
  {
    id: uuid('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: TENANT_KINDS }).notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => tenants.id),
    externalRefs: jsonb('external_refs').$type<Record<string, string>>().notNull().default({}),
    packs: jsonb('packs').$type<string[]>().notNull(),
    /** the logo printed on the cover of the reports this tenant prepares (PNG or JPEG, ≤ 512 KB) */
    logo: bytea('logo'),
    logoMediaType: text('logo_media_type', { enum: ['image/png', 'image/jpeg'] }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tenants_slug_key').on(t.slug),
    index('tenants_parent_idx').on(t.parentId),
    check('tenants_kind_check', sql`${t.kind} in ('msp', 'client')`),
    check('tenants_client_parent_check', sql`${t.parentId} is null or ${t.kind} = 'client'`),
  ],
);

export const snapshots = pgTable(
  'snapshots',
  {
    tenantId: tenantRef(),
    id: uuid('id').notNull(),
    kind: text('kind', { enum: SNAPSHOT_KINDS }).notNull(),
    source: text('source').notNull(),
    instance: text('instance').notNull(),
    /**
     * When the export was taken: X-Collected-At, else the export's own stamp (iptables-save's
     * `# Generated … on`), else receipt (rows stored before 0005 got their receipt time).
     */
    collectedAt: timestamp('collected_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** where collectedAt came from */
    collectedAtSource: text('collected_at_source', { enum: COLLECTED_AT_SOURCES }).notNull().default('received'),
    /** when the configuration last changed, as the export says (pfSense/OPNsense `<revision><time>`); not a collection time */
    configChangedAt: timestamp('config_changed_at', { withTimezone: true, mode: 'date' }),
    /**
     * The last time the same export was posted again (answered 200): it keeps the evidence fresh.
     * The only column of a snapshot that changes (posture_app may update it and nothing else).
     */
    lastConfirmedAt: timestamp('last_confirmed_at', { withTimezone: true, mode: 'date' }),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    sha256: text('sha256').notNull(),
    /**
     * SHA-256 of the canonical document: the same bytes normalised differently (another
     * ?internetInterfaces=, a client's new externalRefs) are a new snapshot, not a repeat.
     */
    documentSha256: text('document_sha256').notNull(),
    /** the request's Content-Type (with its multipart boundary): serves the raw bytes back as received */
    contentType: text('content_type').notNull(),
    /** per part: name, page, format, size, sha256 (the bytes are in snapshot_parts) */
    parts: jsonb('parts').$type<SnapshotPartMeta[]>().notNull(),
    normalized: jsonDocument('normalized').notNull(),
    itemCount: integer('item_count').notNull(),
    submittedBy: text('submitted_by').notNull(),
    labels: jsonb('labels').$type<Record<string, string>>().notNull().default({}),
    warnings: jsonb('warnings').$type<unknown[]>().notNull().default([]),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // "latest snapshot of (source, instance) at or before asOf"
    index('snapshots_latest_idx').on(t.tenantId, t.source, t.instance, t.receivedAt.desc(), t.id.desc()),
    index('snapshots_kind_idx').on(t.tenantId, t.kind, t.receivedAt.desc()),
    check('snapshots_collected_at_source_check', sql`${t.collectedAtSource} in ('header', 'export', 'received')`),
  ],
);

export interface SnapshotPartMeta {
  name: string;
  page: number;
  format: 'json' | 'xml' | 'text';
  size: number;
  sha256: string;
}

/**
 * The raw request body, byte for byte as received, in chunks of up to RAW_CHUNK_BYTES (idx 0, 1, …
 * in order; see db/snapshots.ts). A table apart keeps snapshot lists light.
 */
export const snapshotParts = pgTable(
  'snapshot_parts',
  {
    tenantId: uuid('tenant_id').notNull(),
    snapshotId: uuid('snapshot_id').notNull(),
    idx: integer('idx').notNull(),
    /** the data key that sealed `bytes` (AES-256-GCM, core/sealing.ts); null: stored before encryption at rest, plaintext */
    keyId: text('key_id'),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.snapshotId, t.idx] }),
    foreignKey({ columns: [t.tenantId, t.snapshotId], foreignColumns: [snapshots.tenantId, snapshots.id] }),
  ],
);

export const evaluations = pgTable(
  'evaluations',
  {
    tenantId: tenantRef(),
    id: uuid('id').notNull(),
    asOf: timestamp('as_of', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
    createdBy: text('created_by').notNull(),
    trigger: text('trigger', { enum: EVALUATION_TRIGGERS }).notNull(),
    previousId: uuid('previous_id'),
    packs: jsonb('packs').$type<string[]>().notNull(),
    parameters: jsonb('parameters').notNull(),
    snapshotIds: jsonb('snapshot_ids').$type<string[]>().notNull(),
    fileHashes: jsonb('file_hashes').$type<Record<string, string>>().notNull(),
    /** per pack: scores, per requirement and per (pack, rule) states and counts, the diff */
    result: jsonb('result').$type<StoredEvaluationResult>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('evaluations_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    // the diff base: the latest as-of time first (db/evaluations.ts diffBases)
    index('evaluations_as_of_idx').on(t.tenantId, t.asOf.desc(), t.createdAt.desc(), t.id.desc()),
  ],
);

export const findings = pgTable(
  'findings',
  {
    tenantId: uuid('tenant_id').notNull(),
    evaluationId: uuid('evaluation_id').notNull(),
    id: uuid('id').notNull(),
    packId: text('pack_id').notNull(),
    ruleId: text('rule_id').notNull(),
    requirements: jsonb('requirements').$type<{ pack: string; id: string }[]>().notNull(),
    status: text('status', { enum: FINDING_STATUSES }).notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    source: text('source'),
    snapshotId: uuid('snapshot_id'),
    itemId: text('item_id'),
    itemName: text('item_name'),
    message: text('message').notNull(),
    evidence: jsonb('evidence').notNull(),
    origin: jsonb('origin'),
    waiverId: uuid('waiver_id'),
    /** absent from the previous evaluation (matched by fingerprint): what CI fails on */
    isNew: boolean('is_new').notNull(),
    /** pack/rule/item identity, stable across evaluations: the diff and SARIF fingerprints use it */
    fingerprint: text('fingerprint').notNull(),
    /** fields the verdict was judged on by assumption (the export does not state them) */
    assumed: jsonb('assumed').$type<string[]>().notNull().default([]),
    /** judged on evidence older than maxEvidenceAgeDays */
    stale: boolean('stale').notNull().default(false),
    /**
     * when this (rule, item) was first seen failing: carried over from the diff base while it keeps
     * failing, reset after it was resolved; null on rows written before migration 0008
     */
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.evaluationId], foreignColumns: [evaluations.tenantId, evaluations.id] }),
    index('findings_evaluation_idx').on(t.tenantId, t.evaluationId, t.id),
  ],
);

export const parameters = pgTable(
  'parameters',
  {
    tenantId: tenantRef(),
    packId: text('pack_id').notNull(),
    values: jsonb('values').$type<Record<string, unknown>>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.packId] })],
);

export const waivers = pgTable(
  'waivers',
  {
    tenantId: tenantRef(),
    id: uuid('id').notNull(),
    ruleId: text('rule_id').notNull(),
    packId: text('pack_id'),
    itemMatch: text('item_match').notNull(),
    justification: text('justification').notNull(),
    /**
     * pending (requested, never applied) → approved (by another subject with waivers:approve) or
     * rejected (deleted while pending; the row stays). Rows from before approval existed are
     * approved as recorded, `approved_by` holding the free text they were created with.
     */
    status: text('status', { enum: WAIVER_STATUSES }).notNull(),
    approvedBy: text('approved_by'),
    approvedByName: text('approved_by_name'),
    approvedByEmail: text('approved_by_email'),
    approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
    createdByName: text('created_by_name'),
    createdByEmail: text('created_by_email'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revokedBy: text('revoked_by'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('waivers_rule_idx').on(t.tenantId, t.ruleId)],
);

/**
 * Attestations: a person's signed-off statement that a manual requirement of a pack is met, until
 * `validUntil` (at most a year ahead). Revoking keeps the row. Its evidence files are rows of
 * `attestation_files`.
 */
export const attestations = pgTable(
  'attestations',
  {
    tenantId: tenantRef(),
    id: uuid('id').notNull(),
    packId: text('pack_id').notNull(),
    requirementId: text('requirement_id').notNull(),
    statement: text('statement').notNull(),
    /** the token subject, and its name and email claims at the time when it had them */
    attestedBy: text('attested_by').notNull(),
    attestedByName: text('attested_by_name'),
    attestedByEmail: text('attested_by_email'),
    createdAt: createdAt(),
    validUntil: timestamp('valid_until', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revokedBy: text('revoked_by'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('attestations_requirement_idx').on(t.tenantId, t.packId, t.requirementId),
  ],
);

/**
 * An attestation's evidence file, sealed at rest (AES-256-GCM under `key_id`, core/sealing.ts);
 * `sha256` and `size` are over the plaintext as uploaded.
 */
export const attestationFiles = pgTable(
  'attestation_files',
  {
    tenantId: uuid('tenant_id').notNull(),
    attestationId: uuid('attestation_id').notNull(),
    idx: integer('idx').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    keyId: text('key_id').notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.attestationId, t.idx] }),
    foreignKey({ columns: [t.tenantId, t.attestationId], foreignColumns: [attestations.tenantId, attestations.id] }),
  ],
);

/** Deployment-wide: every certificate that ever signed a report, so old reports keep verifying. */
export const signingCertificates = pgTable('signing_certificates', {
  fingerprint: text('fingerprint').primaryKey(),
  certificatePem: text('certificate_pem').notNull(),
  subject: text('subject').notNull(),
  firstUsedAt: timestamp('first_used_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const reports = pgTable(
  'reports',
  {
    tenantId: tenantRef(),
    id: uuid('id').notNull(),
    evaluationId: uuid('evaluation_id').notNull(),
    packs: jsonb('packs').$type<string[]>().notNull(),
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    signerFingerprint: text('signer_fingerprint')
      .notNull()
      .references(() => signingCertificates.fingerprint),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    pdf: bytea('pdf').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.evaluationId], foreignColumns: [evaluations.tenantId, evaluations.id] }),
    index('reports_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    // verify looks a report up by the hash of its bytes
    index('reports_sha256_idx').on(t.sha256),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: tenantRef(),
    id: uuid('id').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    requestId: text('request_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    /** position in the tenant's chain, from 1 (rows written before the chain: numbered by (at, id) at migration) */
    seq: bigint('seq', { mode: 'number' }),
    /** SHA-256 of the previous row of the tenant's chain (64 zeros for the first) */
    prevHash: text('prev_hash'),
    /** SHA-256 over prevHash and this row's content (RFC 8785 canonical JSON): see db/audit.ts */
    hash: text('hash'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('audit_log_at_idx').on(t.tenantId, t.at.desc(), t.id.desc()),
    uniqueIndex('audit_log_seq_idx').on(t.tenantId, t.seq),
  ],
);

/**
 * Hit counters of the rate limiter, shared by every instance on one PostgreSQL (rate-limit-store.ts).
 * Not tenant data: a key is a limiter name and a hash of a client address or token subject.
 * Rows past `reset_at` are stale and deleted as the store goes.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    resetAt: timestamp('reset_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('rate_limits_reset_at_idx').on(t.resetAt)],
);

/**
 * Console sessions (DESIGN.md, "Console sign-in"): server-side rows behind an HttpOnly cookie.
 * Not tenant data — a row is found by the SHA-256 of the cookie's secret before any tenant is
 * known — so no row-level security; `tenants` is the reach the session was granted (slugs, as a
 * token's `tenants` claim). The secret itself is never stored, nor the CSRF token (only hashes).
 */
export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 (hex) of the session secret the cookie carries */
    idHash: text('id_hash').primaryKey(),
    subject: text('subject').notNull(),
    name: text('name'),
    email: text('email'),
    tenants: jsonb('tenants').$type<string[]>().notNull(),
    role: text('role').notNull(),
    scopes: jsonb('scopes').$type<string[]>().notNull(),
    /** SHA-256 (hex) of the session's CSRF token */
    csrfHash: text('csrf_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('sessions_subject_idx').on(t.subject), index('sessions_expires_at_idx').on(t.expiresAt)],
);

/**
 * One-time sign-in links (`posture login-link`): redeemed once, within minutes, into a session.
 * Not tenant data, for the same reason as `sessions`; only the token's SHA-256 is stored.
 */
export const loginLinks = pgTable(
  'login_links',
  {
    /** SHA-256 (hex) of the one-time token in the link */
    tokenHash: text('token_hash').primaryKey(),
    subject: text('subject').notNull(),
    name: text('name'),
    email: text('email'),
    tenants: jsonb('tenants').$type<string[]>().notNull(),
    role: text('role').notNull(),
    /** who minted the link (a token's subject) */
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('login_links_expires_at_idx').on(t.expiresAt)],
);
