/**
 * Every tenant the session reaches in one table (an MSP's lead sees its clients), from one
 * GET /v1/tenants/{msp}/overview per top-level tenant: the latest three figures per pack with a
 * sparkline, open critical and high findings, new since last week, the oldest evidence by kind
 * and the waivers and attestations expiring within 30 days.
 */
import { useEffect, useMemo, useState } from 'react';
import { api, problemText, type Tenant } from '../api/client';
import type { components } from '../../generated/openapi';
import { percent, when } from '../format';
import { TableRegion } from '../TableRegion';
import { Link } from '../router';
import { Sparkline } from './Sparkline';

type TenantOverview = components['schemas']['http.overview']['tenants'][number];
type Sort = 'name' | 'critical' | 'new' | 'evidence' | 'expiring';

async function allTenants(): Promise<Tenant[]> {
  const out: Tenant[] = [];
  let cursor: string | undefined;
  do {
    const { data, error, response } = await api.GET('/v1/tenants', { params: { query: { limit: 1000, cursor } } });
    if (!data) throw new Error(problemText(error, response));
    out.push(...data.items);
    cursor = data.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** One overview per tenant whose MSP the session does not reach (its MSP's answer holds the rest). */
async function overviews(): Promise<TenantOverview[]> {
  const tenants = await allTenants();
  const slugs = new Set(tenants.map((t) => t.slug));
  const roots = tenants.filter((t) => t.parent === null || !slugs.has(t.parent));
  const answers = await Promise.all(
    roots.map(async (t) => {
      const { data, error, response } = await api.GET('/v1/tenants/{tenant}/overview', {
        params: { path: { tenant: t.slug } },
      });
      if (!data) throw new Error(problemText(error, response));
      return data.tenants;
    }),
  );
  return answers.flat();
}

const sum = (t: TenantOverview, f: (p: TenantOverview['packs'][number]) => number) =>
  t.packs.reduce((n, p) => n + f(p), 0);
// ISO times compare as strings: the first after sorting is the oldest
const oldest = (t: TenantOverview) => t.oldestEvidence.map((e) => e.collectedAt).sort()[0] ?? '9999';
const expiringCount = (t: TenantOverview) => t.expiring.waivers.count + t.expiring.attestations.count;
const latestAt = (t: TenantOverview) =>
  t.packs
    .map((p) => p.asOf)
    .sort()
    .at(-1) ?? '';

const ORDER: Record<Sort, (a: TenantOverview, b: TenantOverview) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  critical: (a, b) =>
    sum(b, (p) => p.open.critical) - sum(a, (p) => p.open.critical) ||
    sum(b, (p) => p.open.high) - sum(a, (p) => p.open.high),
  new: (a, b) => sum(b, (p) => p.newSinceLastWeek) - sum(a, (p) => p.newSinceLastWeek),
  evidence: (a, b) => oldest(a).localeCompare(oldest(b)),
  expiring: (a, b) => expiringCount(b) - expiringCount(a),
};

export function Overview() {
  const [rows, setRows] = useState<TenantOverview[] | undefined>();
  const [failure, setFailure] = useState<string>();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<Sort>('name');

  useEffect(() => {
    document.title = 'Overview · Posture';
    overviews().then(setRows, (err: Error) => setFailure(err.message));
  }, []);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const kept = (rows ?? []).filter(
      (r) => needle === '' || r.name.toLowerCase().includes(needle) || r.slug.includes(needle),
    );
    return kept.sort((a, b) => ORDER[sort](a, b) || a.name.localeCompare(b.name));
  }, [rows, filter, sort]);

  return (
    <>
      <h1>Overview</h1>
      {failure ? <p role="alert">Could not load the tenants: {failure}</p> : null}
      <div className="controls">
        <label>
          Filter by name
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </label>
        <label>
          Sort by
          <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            <option value="name">Name</option>
            <option value="critical">Open critical, then high</option>
            <option value="new">New since last week</option>
            <option value="evidence">Oldest evidence first</option>
            <option value="expiring">Expiring within 30 days</option>
          </select>
        </label>
      </div>
      {rows === undefined && !failure ? <p role="status">Loading tenants…</p> : null}
      {rows !== undefined ? (
        <TableRegion label="Tenants">
          <table>
            <caption>
              {shown.length} of {rows.length} tenants. Scores per pack: verified from configuration / with attestations
              / with waivers, with the verified trend.
            </caption>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Scores per pack</th>
                <th scope="col">Open critical</th>
                <th scope="col">Open high</th>
                <th scope="col">New since last week</th>
                <th scope="col">Oldest evidence</th>
                <th scope="col">Expiring in 30 days</th>
                <th scope="col">Last evaluated</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((t) => (
                <tr key={t.slug}>
                  <th scope="row">
                    <Link href={`/tenants/${t.slug}`}>{t.name}</Link>
                    <span className="muted"> {t.kind === 'msp' ? 'MSP' : 'client'}</span>
                  </th>
                  <td>
                    {t.packs.length > 0 ? (
                      <ul className="scores">
                        {t.packs.map((p) => (
                          <li key={p.pack}>
                            <span className="pack">{p.pack}</span> {percent(p.verified.value)} /{' '}
                            {percent(p.withAttestations.value)} / {percent(p.withWaivers.value)}{' '}
                            <Sparkline values={p.series.map((s) => s.verified)} label={`${p.pack} verified`} />
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="muted">not evaluated yet</span>
                    )}
                  </td>
                  <td className="num">{t.packs.length > 0 ? sum(t, (p) => p.open.critical) : '—'}</td>
                  <td className="num">{t.packs.length > 0 ? sum(t, (p) => p.open.high) : '—'}</td>
                  <td className="num">{t.packs.length > 0 ? sum(t, (p) => p.newSinceLastWeek) : '—'}</td>
                  <td>
                    {t.oldestEvidence.length > 0 ? (
                      <ul className="scores">
                        {t.oldestEvidence.map((e) => (
                          <li key={e.kind}>
                            {e.kind}: {when(e.collectedAt)}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                  <td>
                    {t.expiring.waivers.count} waivers, {t.expiring.attestations.count} attestations
                  </td>
                  <td>{when(latestAt(t) || undefined)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </>
  );
}
