/**
 * Findings as a table for follow-up work (CSV and XLSX): one row per problem — a rule on an item —
 * naming every pack and requirement it affects, never one row per pack. The worst status of the
 * packs' findings is the row's (a finding waived in one pack and failing in another fails).
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { FindingStatus, Severity } from '../core/vocabulary.js';
import { SEVERITIES } from '../core/vocabulary.js';

/** What a row is made from: a stored finding or one the engine just produced. */
export interface TableFinding {
  packId: string;
  ruleId: string;
  requirements: { pack: string; id: string }[];
  status: FindingStatus;
  severity: Severity;
  source: string | null;
  item: { id: string; name: string | null } | null;
  message: string;
  waiverId: string | null;
  fingerprint: string;
  /** absent from the previous evaluation (offline, every finding is new) */
  new: boolean;
}

export interface RuleText {
  title: string;
  remediation: string;
}

export interface FindingTableRow {
  severity: Severity;
  status: FindingStatus;
  ruleId: string;
  ruleTitle: string;
  itemId: string;
  itemName: string;
  source: string;
  requirements: string;
  packs: string;
  message: string;
  remediation: string;
  waivers: string;
  new: boolean;
}

export const COLUMNS: readonly { key: keyof FindingTableRow; header: string; width: number }[] = [
  { key: 'severity', header: 'Severity', width: 10 },
  { key: 'status', header: 'Status', width: 22 },
  { key: 'ruleId', header: 'Rule', width: 36 },
  { key: 'ruleTitle', header: 'Rule title', width: 48 },
  { key: 'itemId', header: 'Item', width: 30 },
  { key: 'itemName', header: 'Item name', width: 30 },
  { key: 'source', header: 'Source', width: 18 },
  { key: 'requirements', header: 'Requirements', width: 48 },
  { key: 'packs', header: 'Packs', width: 36 },
  { key: 'message', header: 'Message', width: 80 },
  { key: 'remediation', header: 'Remediation', width: 80 },
  { key: 'waivers', header: 'Waiver', width: 38 },
  { key: 'new', header: 'New', width: 6 },
];

/** fail is worse than error, error than insufficient evidence, all of them than waived */
const STATUS_ORDER: readonly FindingStatus[] = ['fail', 'error', 'insufficient_evidence', 'waived'];

/**
 * Groups findings by fingerprint (rule and item) in one pass; rows come most severe first, then
 * by rule and item, so the same evaluation always gives the same bytes.
 */
export function findingTable(
  findings: Iterable<TableFinding>,
  rules: ReadonlyMap<string, RuleText>,
): FindingTableRow[] {
  const groups = new Map<string, TableFinding[]>();
  for (const f of findings) {
    const key = `${f.ruleId}\u0000${f.fingerprint}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  const rows: FindingTableRow[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const status = group.map((f) => f.status).sort((a, b) => STATUS_ORDER.indexOf(a) - STATUS_ORDER.indexOf(b))[0]!;
    const requirements = unique(group.flatMap((f) => f.requirements.map((r) => `${r.pack} ${r.id}`)));
    const rule = rules.get(first.ruleId);
    rows.push({
      severity: first.severity,
      status,
      ruleId: first.ruleId,
      ruleTitle: rule?.title ?? '',
      itemId: first.item?.id ?? '',
      itemName: first.item?.name ?? '',
      source: first.source ?? '',
      requirements: requirements.join('; '),
      packs: unique(group.map((f) => f.packId)).join('; '),
      message: first.message,
      remediation: rule?.remediation ?? '',
      waivers: unique(group.flatMap((f) => (f.waiverId ? [f.waiverId] : []))).join('; '),
      new: group.some((f) => f.new),
    });
  }
  return rows.sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      compare(a.ruleId, b.ruleId) ||
      compare(a.itemId, b.itemId) ||
      compare(a.source, b.source),
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * RFC 4180 CSV (CRLF, fields quoted when they hold a comma, quote or line break) in UTF-8 with a
 * byte-order mark, so that Excel opens accented names intact. A cell that a spreadsheet would
 * read as a formula (=, +, -, @, tab, CR first) is prefixed with a quote (OWASP CSV injection):
 * findings carry text from vendor exports.
 */
export function findingsCsv(rows: readonly FindingTableRow[]): string {
  return stringify(
    rows.map((r) => COLUMNS.map((c) => cell(r[c.key]))),
    { bom: true, header: true, columns: COLUMNS.map((c) => c.header), record_delimiter: 'windows' },
  );
}

/** XLSX through exceljs: a header row, filters on every column, the header frozen. */
export async function findingsXlsx(rows: readonly FindingTableRow[], title: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Posture';
  book.title = title;
  // a fixed creation time: the workbook's properties say nothing of when it was downloaded
  book.created = book.modified = new Date(0);
  const sheet = book.addWorksheet('Findings', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(COLUMNS.map((c) => cell(r[c.key])));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  return Buffer.from(await book.xlsx.writeBuffer());
}

function cell(v: string | boolean): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}
