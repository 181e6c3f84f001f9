/**
 * The findings download: one row per rule and item across packs, worst status first; CSV per RFC
 * 4180 (read back by csv-parse) in UTF-8 with a BOM; XLSX read back by exceljs.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import {
  COLUMNS,
  findingsCsv,
  findingsXlsx,
  findingTable,
  type TableFinding,
} from '../../../src/reporting/findings-table.js';

const rules = new Map([
  ['identity.mfa-registered', { title: 'MFA is registered', remediation: 'Enrol the user, then check again.' }],
  ['firewall.no-admin-ports-from-internet', { title: 'No admin port from the internet', remediation: 'Close it.' }],
]);

const finding = (over: Partial<TableFinding>): TableFinding => ({
  packId: 'hipaa-security-rule',
  ruleId: 'identity.mfa-registered',
  requirements: [{ pack: 'hipaa-security-rule', id: '164.312(d)' }],
  status: 'fail',
  severity: 'high',
  source: 'entra',
  item: { id: 'u-1', name: 'José Müller, Ph.D.' },
  message: 'José has no MFA method registered.\nSecond line, with "quotes".',
  waiverId: null,
  fingerprint: 'fp-u-1',
  new: false,
  firstSeenAt: new Date('2026-10-01T08:00:00.250Z'),
  ...over,
});

const sample: TableFinding[] = [
  finding({}),
  finding({
    packId: 'pci-dss-4.0.1',
    requirements: [{ pack: 'pci-dss-4.0.1', id: '8.4.2' }],
    status: 'waived',
    waiverId: 'w-1',
    new: true,
    firstSeenAt: new Date('2026-09-15T10:30:00Z'),
  }),
  finding({ item: { id: 'u-2', name: '=HYPERLINK("http://x")' }, fingerprint: 'fp-u-2', message: '-1 days' }),
  finding({
    ruleId: 'firewall.no-admin-ports-from-internet',
    severity: 'critical',
    source: 'pfsense',
    item: { id: 'wan-ssh', name: null },
    fingerprint: 'fp-ssh',
    requirements: [{ pack: 'hipaa-security-rule', id: '164.312(e)(1)' }],
    message: 'SSH, from any address',
  }),
];

describe('findingTable', () => {
  it('gives one row per rule and item, naming every pack and requirement, with the worst status', () => {
    const rows = findingTable(sample, rules);
    expect(rows.map((r) => [r.ruleId, r.itemId])).toEqual([
      ['firewall.no-admin-ports-from-internet', 'wan-ssh'],
      ['identity.mfa-registered', 'u-1'],
      ['identity.mfa-registered', 'u-2'],
    ]);
    expect(rows[1]).toEqual({
      severity: 'high',
      status: 'fail',
      ruleId: 'identity.mfa-registered',
      ruleTitle: 'MFA is registered',
      itemId: 'u-1',
      itemName: 'José Müller, Ph.D.',
      source: 'entra',
      requirements: 'hipaa-security-rule 164.312(d); pci-dss-4.0.1 8.4.2',
      packs: 'hipaa-security-rule; pci-dss-4.0.1',
      message: sample[0]!.message,
      remediation: 'Enrol the user, then check again.',
      waivers: 'w-1',
      new: true,
      // the earliest of its packs'
      firstSeen: new Date('2026-09-15T10:30:00Z'),
    });
  });

  it('is the same whatever the order of the findings', () => {
    expect(findingTable([...sample].reverse(), rules)).toEqual(findingTable(sample, rules));
  });
});

describe('findingsCsv', () => {
  const csv = findingsCsv(findingTable(sample, rules));

  it('starts with a UTF-8 byte-order mark and ends records with CRLF', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe(`\ufeff${COLUMNS.map((c) => c.header).join(',')}`);
  });

  it('reads back, quoted commas, quotes and line breaks and accented names intact', () => {
    const records = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(3);
    expect(records[1]).toMatchObject({
      Item: 'u-1',
      'Item name': 'José Müller, Ph.D.',
      Message: 'José has no MFA method registered.\nSecond line, with "quotes".',
      Packs: 'hipaa-security-rule; pci-dss-4.0.1',
      New: 'yes',
      'First seen': '2026-09-15T10:30:00Z',
    });
    // without milliseconds
    expect(records[0]!['First seen']).toBe('2026-10-01T08:00:00Z');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    const records = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(records[2]).toMatchObject({ 'Item name': `'=HYPERLINK("http://x")`, Message: `'-1 days` });
  });
});

describe('findingsXlsx', () => {
  it('round-trips through exceljs: a bold header row, filters on every column, the header frozen', async () => {
    const bytes = await findingsXlsx(findingTable(sample, rules), 'Findings');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Findings')!;
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(1).values).toEqual([undefined, ...COLUMNS.map((c) => c.header)]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.getRow(3).getCell(6).value).toBe('José Müller, Ph.D.');
    // a date cell, not text: a spreadsheet sorts and filters it
    const firstSeen = sheet.getRow(3).getCell(COLUMNS.findIndex((c) => c.key === 'firstSeen') + 1);
    expect(firstSeen.value).toEqual(new Date('2026-09-15T10:30:00Z'));
    expect(firstSeen.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });
});
