/**
 * The adapter contract. An adapter is a pure function from one vendor export (already split into
 * parts and pages, JSON already parsed by the ingest pipeline) to one canonical document.
 * No I/O, no clock: everything it needs arrives in `AdapterInput`.
 */
import type { CanonicalDocuments } from '../schemas/canonical-types.js';
import type { SnapshotKind } from '../schemas/canonical.js';
import type { JsonSchema } from '../schemas/json-schema.js';

export type PartFormat = 'json' | 'xml' | 'text';

export interface PartSpec {
  /** multipart field name; single-part sources use `body` */
  name: string;
  format: PartFormat;
  required: boolean;
  /** JSON parts: the fields the adapter reads, loose elsewhere (extra vendor fields pass). */
  schema?: JsonSchema;
  description: string;
}

/** One page of one part: parsed JSON for `json` parts, the decoded text for `xml` and `text`. */
export interface Page {
  part: string;
  /** 0-based position among the pages given for this part */
  page: number;
  value: unknown;
}

export interface ClientRef {
  slug: string;
  /** vendor/source name → the vendor's id for this client organisation */
  externalRefs: Record<string, string>;
}

export interface AdapterContext {
  /** the MSP's client tenants (technician sources map vendor org ids through them) */
  clients: ClientRef[];
  /** `?internetInterfaces=`: firewall interfaces that face the internet, when the export does not say */
  internetInterfaces?: string[];
}

export interface AdapterInput {
  /** pages per part name, in the order given; every required part has at least one page */
  parts: Record<string, Page[]>;
  context: AdapterContext;
}

export interface Warning {
  code: string;
  message: string;
  part?: string;
  page?: number;
  pointer?: string;
  line?: number;
}

export interface AdapterResult<K extends SnapshotKind = SnapshotKind> {
  document: CanonicalDocuments[K];
  warnings: Warning[];
  /** from the export (hostname, account id) when it names one; `?instance=` wins */
  instance?: string;
  /**
   * A time the export stamps on itself as the moment it was taken (iptables-save's `# Generated …
   * on`); it comes before `X-Collected-At`; receipt is the fallback
   */
  collectedAt?: string;
  /** when the configuration last changed, as the export says (pfSense/OPNsense `<revision><time>`): not a collection time */
  configChangedAt?: string;
}

export interface Adapter<K extends SnapshotKind = SnapshotKind> {
  kind: K;
  source: string;
  parts: PartSpec[];
  /** which part a single-part (non-multipart) body fills */
  bodyPart: string;
  normalize(input: AdapterInput): AdapterResult<K>;
}

export interface InputProblem {
  message: string;
  part?: string;
  page?: number;
  pointer?: string;
  line?: number;
}

/**
 * Thrown by an adapter (or its parser) when the export cannot be read: the pipeline answers 400
 * (unparseable) or 422 (parsed but not what the source exports) with the problems' locations.
 */
export class AdapterInputError extends Error {
  constructor(
    readonly status: 400 | 422,
    readonly problems: InputProblem[],
  ) {
    super(problems[0]?.message ?? 'invalid export');
    this.name = 'AdapterInputError';
  }
}
