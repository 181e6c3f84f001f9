/**
 * Every tenant the session reaches in one table (an MSP's lead sees its clients): the latest
 * evaluation's three figures per pack and its open critical and high findings.
 */
import { useEffect, useMemo, useState } from 'react';
import { api, type Evaluation, problemText, type Tenant } from '../api/client';
import { percent, when } from '../format';
import { TableRegion } from '../TableRegion';
import { Link } from '../router';

interface Row {
  tenant: Tenant;
  latest?: Evaluation;
}

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

async function latestEvaluation(slug: string): Promise<Evaluation | undefined> {
  const { data } = await api.GET('/v1/tenants/{tenant}/evaluations', {
    params: { path: { tenant: slug }, query: { limit: 1 } },
  });
  return data?.items[0];
}

export function Overview() {
  const [rows, setRows] = useState<Row[] | undefined>();
  const [failure, setFailure] = useState<string>();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<'name' | 'critical'>('name');

  useEffect(() => {
    document.title = 'Overview · Posture';
    allTenants()
      .then((tenants) =>
        Promise.all(tenants.map(async (tenant) => ({ tenant, latest: await latestEvaluation(tenant.slug) }))),
      )
      .then(setRows, (err: Error) => setFailure(err.message));
  }, []);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const kept = (rows ?? []).filter(
      (r) => needle === '' || r.tenant.name.toLowerCase().includes(needle) || r.tenant.slug.includes(needle),
    );
    const open = (r: Row, s: string) => r.latest?.summary.failingBySeverity[s] ?? 0;
    return kept.sort((a, b) =>
      sort === 'critical'
        ? open(b, 'critical') - open(a, 'critical') || open(b, 'high') - open(a, 'high')
        : a.tenant.name.localeCompare(b.tenant.name),
    );
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
          <select value={sort} onChange={(e) => setSort(e.target.value as 'name' | 'critical')}>
            <option value="name">Name</option>
            <option value="critical">Open critical, then high</option>
          </select>
        </label>
      </div>
      {rows === undefined && !failure ? <p role="status">Loading tenants…</p> : null}
      {rows !== undefined ? (
        <TableRegion label="Tenants">
          <table>
            <caption>
              {shown.length} of {rows.length} tenants. Scores per pack: verified from configuration / with attestations
              / with waivers.
            </caption>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Scores per pack</th>
                <th scope="col">Open critical</th>
                <th scope="col">Open high</th>
                <th scope="col">Last evaluated</th>
              </tr>
            </thead>
            <tbody>
              {shown.map(({ tenant, latest }) => (
                <tr key={tenant.id}>
                  <th scope="row">
                    <Link href={`/tenants/${tenant.slug}`}>{tenant.name}</Link>
                    <span className="muted"> {tenant.kind === 'msp' ? 'MSP' : 'client'}</span>
                  </th>
                  <td>
                    {latest ? (
                      <ul className="scores">
                        {latest.summary.packs.map((p) => (
                          <li key={p.id}>
                            <span className="pack">{p.id}</span> {percent(p.verified?.value)} /{' '}
                            {percent(p.withAttestations?.value)} / {percent(p.withWaivers?.value)}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="muted">not evaluated yet</span>
                    )}
                  </td>
                  <td className="num">{latest?.summary.failingBySeverity.critical ?? '—'}</td>
                  <td className="num">{latest?.summary.failingBySeverity.high ?? '—'}</td>
                  <td>{when(latest?.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </>
  );
}
