/** One tenant: its latest evaluation's figures and the findings, filtered by severity. */
import { useEffect, useState } from 'react';
import { api, type Evaluation, type Finding, problemText, type Tenant } from '../api/client';
import { percent, SEVERITIES, when } from '../format';
import { TableRegion } from '../TableRegion';
import { Link, navigate } from '../router';

type Severity = (typeof SEVERITIES)[number];

export function ClientPage({ slug, search }: { slug: string; search: string }) {
  const severity = new URLSearchParams(search).get('severity') as Severity | null;
  const [tenant, setTenant] = useState<Tenant>();
  const [latest, setLatest] = useState<Evaluation | null>();
  const [findings, setFindings] = useState<Finding[]>();
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    setTenant(undefined);
    setLatest(undefined);
    setFailure(undefined);
    api.GET('/v1/tenants/{tenant}', { params: { path: { tenant: slug } } }).then(({ data, error, response }) => {
      if (!data) return setFailure(problemText(error, response));
      setTenant(data);
      document.title = `${data.name} · Posture`;
    });
    api
      .GET('/v1/tenants/{tenant}/evaluations', { params: { path: { tenant: slug }, query: { limit: 1 } } })
      .then(({ data }) => setLatest(data?.items[0] ?? null));
  }, [slug]);

  useEffect(() => {
    setFindings(undefined);
    if (!latest) return;
    api
      .GET('/v1/tenants/{tenant}/evaluations/{id}/findings', {
        params: {
          path: { tenant: slug, id: latest.id },
          query: { status: 'fail', limit: 1000, ...(severity ? { severity } : {}) },
        },
      })
      .then(({ data, error, response }) =>
        // the same path answers CSV and XLSX downloads; JSON (the default) is a page of findings
        typeof data === 'object' ? setFindings(data.items) : setFailure(problemText(error, response)),
      );
  }, [slug, latest, severity]);

  if (failure) {
    return (
      <>
        <h1>Not available</h1>
        <p role="alert">{failure}</p>
        <p>
          Back to the <Link href="/">overview</Link>.
        </p>
      </>
    );
  }
  return (
    <>
      <p className="crumbs">
        <Link href="/">Overview</Link> › {tenant?.name ?? slug}
      </p>
      <h1>{tenant?.name ?? slug}</h1>
      {latest === null ? <p>Not evaluated yet: push an export to see its findings.</p> : null}
      {latest ? (
        <>
          <h2>Latest evaluation</h2>
          <p className="muted">Evaluated {when(latest.createdAt)}</p>
          <TableRegion label="Scores">
            <table>
              <caption>Scores per pack</caption>
              <thead>
                <tr>
                  <th scope="col">Pack</th>
                  <th scope="col">Verified from configuration</th>
                  <th scope="col">With attestations</th>
                  <th scope="col">With waivers</th>
                </tr>
              </thead>
              <tbody>
                {latest.summary.packs.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">{p.id}</th>
                    <td className="num">{percent(p.verified?.value)}</td>
                    <td className="num">{percent(p.withAttestations?.value)}</td>
                    <td className="num">{percent(p.withWaivers?.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
          <h2>Findings</h2>
          <div className="controls">
            <label>
              Severity
              <select
                value={severity ?? ''}
                onChange={(e) => navigate(`/tenants/${slug}${e.target.value ? `?severity=${e.target.value}` : ''}`)}
              >
                <option value="">All severities</option>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {findings === undefined ? <p role="status">Loading findings…</p> : null}
          {findings ? (
            <TableRegion label="Findings">
              <table>
                <caption>
                  {findings.length} failing {severity ? `${severity} ` : ''}finding{findings.length === 1 ? '' : 's'}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Severity</th>
                    <th scope="col">Rule</th>
                    <th scope="col">Item</th>
                    <th scope="col">Finding</th>
                  </tr>
                </thead>
                <tbody>
                  {findings.map((f) => (
                    <tr key={f.id}>
                      <td>
                        <span className={`sev sev-${f.severity}`}>{f.severity}</span>
                      </td>
                      <td>{f.ruleId}</td>
                      <td>{f.item?.name ?? f.item?.id ?? '—'}</td>
                      <td>{f.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          ) : null}
        </>
      ) : null}
    </>
  );
}
