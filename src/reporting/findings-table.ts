/**
 * Findings as a table for follow-up work (CSV and XLSX): one row per problem — a rule on an item —
 * naming every pack and requirement it affects, never one row per pack. The worst status of the
 * packs' findings is the row's (a finding waived in one pack and failing in another fails), and
 * its first-seen time the earliest of theirs.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { compareText as compare, groupFindings } from '../core/finding-groups.js';
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
  /** when it was first seen failing (offline: the evaluation's asOf) */
  firstSeenAt: Date;
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
  firstSeen: Date;
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
  { key: 'firstSeen', header: 'First seen', width: 22 },
];

/**
 * Groups findings by fingerprint (rule and item); rows come most severe first, then by rule and
 * item, so the same evaluation always gives the same bytes.
 */
export function findingTable(
  findings: Iterable<TableFinding>,
  rules: ReadonlyMap<string, RuleText>,
): FindingTableRow[] {
  const rows = groupFindings(findings).map((g): FindingTableRow => {
    const first = g.first;
    const rule = rules.get(first.ruleId);
    return {
      severity: first.severity,
      status: g.status,
      ruleId: first.ruleId,
      ruleTitle: rule?.title ?? '',
      itemId: first.item?.id ?? '',
      itemName: first.item?.name ?? '',
      source: first.source ?? '',
      requirements: unique(g.packs.flatMap((p) => p.requirements.map((id) => `${p.pack} ${id}`))).join('; '),
      packs: g.packs.map((p) => p.pack).join('; '),
      message: first.message,
      remediation: rule?.remediation ?? '',
      waivers: unique(g.packs.flatMap((p) => (p.waiverId ? [p.waiverId] : []))).join('; '),
      new: g.new,
      // every finding here has one
      firstSeen: g.firstSeenAt!,
    };
  });
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
  // dates stay dates (a spreadsheet sorts and filters them), shown in UTC without milliseconds
  for (const r of rows) sheet.addRow(COLUMNS.map((c) => (r[c.key] instanceof Date ? r[c.key] : cell(r[c.key]))));
  sheet.getColumn('firstSeen').numFmt = 'yyyy-mm-dd hh:mm:ss';
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  return Buffer.from(await book.xlsx.writeBuffer());
}

function cell(v: string | boolean | Date): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v instanceof Date) return v.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}
