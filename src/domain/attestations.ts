/**
 * Attestations: a person states that a manual requirement of a pack is met, with evidence files,
 * until `validUntil` (at most a year ahead). Evaluations judge them at their asOf (engine/
 * attestations.ts); revoking keeps the row. Files are sealed at rest (AES-256-GCM, db/attestations.ts).
 */
import { createHash } from 'node:crypto';
import { recordAudit } from '../db/audit.js';
import {
  type AttestationFileInput,
  type AttestationFileMeta,
  type AttestationRow,
  filesOf,
  getAttestation,
  insertAttestation,
  revokeAttestation,
} from '../db/attestations.js';
import type { TenantView } from '../db/tenants.js';
import { AppError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { splitMultipart } from '../core/multipart.js';
import { JsonSyntaxError, parseJsonLocated } from '../core/json.js';
import { attestationInForce } from '../engine/attestations.js';
import type { JsonSchema } from '../schemas/json-schema.js';
import { validate } from '../schemas/validator.js';
import type { UseCaseContext } from './context.js';

/** Each evidence file: at most 10 MiB, and at most 20 files per attestation. */
export const MAX_ATTESTATION_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_ATTESTATION_FILES = 20;
/** "at most one year ahead", with a day's room for a leap year and time zones (as waivers) */
const MAX_DAYS = 366;

/** The JSON part (or the whole body, without files). */
export const attestationInputSchema = {
  $id: 'posture:http/attestation-input',
  type: 'object',
  additionalProperties: false,
  required: ['packId', 'requirementId', 'statement', 'validUntil'],
  properties: {
    packId: { type: 'string', minLength: 1, maxLength: 100 },
    requirementId: { type: 'string', minLength: 1, maxLength: 100 },
    statement: { type: 'string', minLength: 10, maxLength: 8000 },
    validUntil: { type: 'string', format: 'date-time' },
  },
} as const satisfies JsonSchema;

export interface AttestationInputBody {
  packId: string;
  requirementId: string;
  statement: string;
  validUntil: string;
}

export interface AttestationUpload {
  /** the request's Content-Type: multipart/form-data (a part `attestation` + `file` parts) or application/json */
  contentType: string;
  body: Buffer;
}

export function toAttestationDto(a: AttestationRow, files: readonly AttestationFileMeta[], now: Date) {
  return {
    id: a.id,
    packId: a.packId,
    requirementId: a.requirementId,
    statement: a.statement,
    attestedBy: { sub: a.attestedBy, name: a.attestedByName, email: a.attestedByEmail },
    attestedAt: a.createdAt.toISOString(),
    validUntil: a.validUntil.toISOString(),
    revokedAt: a.revokedAt?.toISOString() ?? null,
    revokedBy: a.revokedBy,
    active: attestationInForce({ attestedAt: a.createdAt, validUntil: a.validUntil, revokedAt: a.revokedAt }, now),
    files: files.map((f) => ({ ...f })),
  };
}

export type AttestationDto = ReturnType<typeof toAttestationDto>;

export async function createAttestation(ctx: UseCaseContext, tenant: TenantView, upload: AttestationUpload) {
  const { input, files } = await readUpload(upload);
  const pack = ctx.catalog.packs.get(input.packId);
  if (!pack)
    throw new AppError('validation_failed', `no pack "${input.packId}"`, [
      { pointer: '/packId', message: 'names no pack' },
    ]);
  const requirement = pack.requirements.find((q) => q.id === input.requirementId);
  if (!requirement)
    throw new AppError('validation_failed', `pack ${pack.id} has no requirement "${input.requirementId}"`, [
      { pointer: '/requirementId', message: 'names no requirement of this pack' },
    ]);
  if (!requirement.manual)
    throw new AppError(
      'validation_failed',
      `requirement ${requirement.id} of ${pack.id} is judged from configuration: only manual requirements can be attested`,
      [
        {
          pointer: '/requirementId',
          message: 'is not a manual requirement (a waiver accepts a failing check instead)',
        },
      ],
    );
  const validUntil = new Date(input.validUntil);
  const days = (validUntil.getTime() - ctx.now.getTime()) / 86_400_000;
  if (!(days > 0 && days <= MAX_DAYS))
    throw new AppError('validation_failed', 'an attestation is valid until a time after now and at most a year ahead', [
      { pointer: '/validUntil', message: `must be after now and at most ${MAX_DAYS} days ahead` },
    ]);
  const row = {
    tenantId: tenant.id,
    id: newId(),
    packId: pack.id,
    requirementId: requirement.id,
    statement: input.statement,
    attestedBy: ctx.principal.sub,
    attestedByName: ctx.principal.name ?? null,
    attestedByEmail: ctx.principal.email ?? null,
    createdAt: ctx.now,
    validUntil,
    revokedAt: null,
    revokedBy: null,
  };
  await ctx.db.transaction(async (tx) => {
    await insertAttestation(tx, row, files, ctx.keyring);
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor: ctx.principal.sub,
      action: 'attestation.create',
      target: row.id,
      requestId: ctx.requestId,
      detail: {
        packId: row.packId,
        requirementId: row.requirementId,
        validUntil: validUntil.toISOString(),
        files: files.map((f) => f.sha256),
      },
      at: ctx.now,
    });
  });
  return toAttestationDto(
    row,
    files.map(({ bytes: _, ...meta }) => meta),
    ctx.now,
  );
}

export async function revokeAttestationById(ctx: UseCaseContext, tenant: TenantView, id: string) {
  return ctx.db.transaction(async (tx) => {
    const a = await getAttestation(tx, tenant.id, id);
    if (!a) throw new AppError('attestation_not_found', `no attestation "${id}"`);
    if (a.revokedAt === null) {
      await revokeAttestation(tx, tenant.id, id, ctx.principal.sub, ctx.now);
      await recordAudit(tx, {
        tenantId: tenant.id,
        actor: ctx.principal.sub,
        action: 'attestation.revoke',
        target: id,
        requestId: ctx.requestId,
        detail: { packId: a.packId, requirementId: a.requirementId },
        at: ctx.now,
      });
    }
    const files = await filesOf(tx, tenant.id, [id]);
    return toAttestationDto((await getAttestation(tx, tenant.id, id))!, files.get(id) ?? [], ctx.now);
  });
}

/** The JSON part and the files of a create request, validated. */
async function readUpload(upload: AttestationUpload): Promise<{
  input: AttestationInputBody;
  files: AttestationFileInput[];
}> {
  const mediaType = upload.contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/json') return { input: parseInput(upload.body), files: [] };
  if (mediaType !== 'multipart/form-data')
    throw new AppError(
      'unsupported_media_type',
      'send multipart/form-data (a JSON part "attestation" and "file" parts), or application/json without files',
    );
  const parts = await splitMultipart(upload.body, upload.contentType);
  const json = parts.filter((p) => p.name === 'attestation');
  if (json.length !== 1)
    throw new AppError('validation_failed', 'one part named "attestation" holds the JSON', [
      {
        pointer: '',
        message: json.length === 0 ? 'the part "attestation" is missing' : 'more than one "attestation" part',
      },
    ]);
  const other = parts.find((p) => p.name !== 'attestation' && p.name !== 'file' && p.name !== 'files');
  if (other)
    throw new AppError('validation_failed', `unexpected part "${other.name}"`, [
      { pointer: '', message: `unexpected part "${other.name}" (expected "attestation" and "file" parts)` },
    ]);
  const fileParts = parts.filter((p) => p.name !== 'attestation');
  if (fileParts.length > MAX_ATTESTATION_FILES)
    throw new AppError('validation_failed', `at most ${MAX_ATTESTATION_FILES} files per attestation`, [
      { pointer: '/files', message: `more than ${MAX_ATTESTATION_FILES} files` },
    ]);
  const files = fileParts.map((p, idx): AttestationFileInput => {
    const pointer = `/files/${idx}`;
    const bytes = Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength);
    if (bytes.length > MAX_ATTESTATION_FILE_BYTES)
      throw new AppError('validation_failed', `a file is larger than ${MAX_ATTESTATION_FILE_BYTES} bytes (10 MiB)`, [
        { pointer, message: `is ${bytes.length} bytes; at most ${MAX_ATTESTATION_FILE_BYTES}` },
      ]);
    if (bytes.length === 0)
      throw new AppError('validation_failed', 'an evidence file is empty', [{ pointer, message: 'is empty' }]);
    const contentType = detectType(bytes, p.contentType);
    if (!contentType)
      throw new AppError('validation_failed', 'evidence files are PDF, images (PNG, JPEG, GIF, WebP) or UTF-8 text', [
        { pointer, message: 'is neither a PDF, a PNG, JPEG, GIF or WebP image, nor UTF-8 text' },
      ]);
    return {
      idx,
      filename: cleanFilename(p.filename, idx),
      contentType,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes,
    };
  });
  return { input: parseInput(Buffer.from(json[0]!.bytes)), files };
}

function parseInput(raw: Buffer): AttestationInputBody {
  let value: unknown;
  try {
    value = parseJsonLocated(raw.toString('utf8'));
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new AppError('malformed_json', err.message, [{ pointer: err.pointer, line: err.line, message: err.message }]);
  }
  const problems = validate(attestationInputSchema, value);
  if (problems.length > 0)
    throw new AppError('validation_failed', `${problems[0]!.pointer || '/'} ${problems[0]!.message}`, problems);
  return value as AttestationInputBody;
}

const MAGIC: { type: string; test: (b: Buffer) => boolean }[] = [
  { type: 'application/pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  {
    type: 'image/png',
    test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { type: 'image/jpeg', test: (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', test: (b) => /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1')) },
  {
    type: 'image/webp',
    test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

const TEXT_TYPES = new Set(['text/plain', 'text/csv', 'text/markdown']);

/**
 * What a file is, by its bytes (the declared type is not trusted): a PDF or image by its magic
 * number, else text when it is valid UTF-8 without NUL bytes (text/csv and text/markdown keep
 * the declared type; other text is text/plain). Anything else: undefined (refused).
 */
export function detectType(bytes: Buffer, declared: string | undefined): string | undefined {
  const magic = MAGIC.find((m) => m.test(bytes));
  if (magic) return magic.type;
  if (bytes.includes(0)) return undefined;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  const d = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  return TEXT_TYPES.has(d) ? d : 'text/plain';
}

/** The file name as uploaded, without any path, control characters, at most 200 characters. */
function cleanFilename(name: string | undefined, idx: number): string {
  const last = (name ?? '').split(/[\\/]/).pop()!;
  const base = [...last]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, 200);
  return base === '' ? `file-${idx + 1}` : base;
}
