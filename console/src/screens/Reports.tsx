/** A tenant's signed PDF reports: request one (of a fresh evaluation), list them, download them. */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { components } from '../../generated/openapi';
import { api, type Session } from '../api/client';
import { when } from '../format';
import { Link } from '../router';
import { asProblem, Outcome, type ProblemDoc } from '../Problem';
import { TableRegion } from '../TableRegion';

type Report = components['schemas']['http.report'];

export function Reports({ slug, session }: { slug: string; session: Session }) {
  useEffect(() => {
    document.title = `Reports · ${slug} · Posture`;
  }, [slug]);
  const [reports, setReports] = useState<Report[]>();
  const [packs, setPacks] = useState<string[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDoc>();
  const [notice, setNotice] = useState<string>();

  const load = useCallback(() => {
    api
      .GET('/v1/tenants/{tenant}/reports', { params: { path: { tenant: slug }, query: { limit: 1000 } } })
      .then(({ data, error, response }) => (data ? setReports(data.items) : setProblem(asProblem(error, response))));
  }, [slug]);
  useEffect(load, [load]);
  useEffect(() => {
    api
      .GET('/v1/packs')
      .then(({ data }) => setPacks(((data as { items?: { id: string }[] })?.items ?? []).map((p) => p.id)));
  }, []);

  const request = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    setNotice(undefined);
    setBusy(true);
    const { data, error, response } = await api.POST('/v1/tenants/{tenant}/reports', {
      params: { path: { tenant: slug } },
      body: chosen.length ? { packs: chosen } : {},
    });
    setBusy(false);
    if (!data) return setProblem(asProblem(error, response));
    setNotice(`Report of ${data.packs.join(', ')} signed ${when(data.createdAt)}: download it from the list.`);
    load();
  };

  return (
    <>
      <h1>Reports</h1>
      <p>
        A report is a PDF signed by this service. Anyone can check one on the <Link href="/verify">Verify</Link> page.
      </p>
      {session.scopes.includes('reports:write') ? (
        <form onSubmit={request} className="stack" aria-label="Request a report">
          <fieldset>
            <legend>Packs (none chosen: every pack of the tenant)</legend>
            <div className="controls">
              {packs.map((p) => (
                <label key={p} className="check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(p)}
                    onChange={(e) => setChosen((c) => (e.target.checked ? [...c, p] : c.filter((x) => x !== p)))}
                  />
                  {p}
                </label>
              ))}
            </div>
          </fieldset>
          <p>
            <button type="submit" disabled={busy}>
              {busy ? 'Signing the report…' : 'Request report'}
            </button>
          </p>
        </form>
      ) : null}
      <Outcome notice={notice} problem={problem} />
      {reports === undefined ? <p role="status">Loading reports…</p> : null}
      {reports ? (
        <TableRegion label="Reports">
          <table>
            <caption>
              {reports.length} report{reports.length === 1 ? '' : 's'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Signed</th>
                <th scope="col">Packs</th>
                <th scope="col">Size</th>
                <th scope="col">By</th>
                <th scope="col">SHA-256</th>
                <th scope="col">Download</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.id}>
                  <td>{when(r.createdAt)}</td>
                  <td>{r.packs.join(', ')}</td>
                  <td className="num">{Math.ceil(r.size / 1024)} KiB</td>
                  <td>{r.createdBy}</td>
                  <td>
                    <code className="hash">{r.sha256.slice(0, 16)}…</code>
                  </td>
                  <td>
                    <a href={r.pdf} download={`posture-${slug}-${r.createdAt.slice(0, 10)}.pdf`}>
                      Download PDF<span className="visually-hidden"> of {when(r.createdAt)}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </>
  );
}
