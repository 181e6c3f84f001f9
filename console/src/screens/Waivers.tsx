/**
 * A tenant's waivers (request; approve, by another person who may; reject or revoke) and
 * attestations (statement, validity and evidence files; revoke). Every rule is the API's: the
 * screen shows what it answers, refusals included.
 */
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import type { components } from '../../generated/openapi';
import { api, type Session } from '../api/client';
import { rawBody } from '../files';
import { when } from '../format';
import { asProblem, Outcome, type ProblemDoc } from '../Problem';
import { TableRegion } from '../TableRegion';

type Waiver = components['schemas']['http.waiver'];
type Attestation = components['schemas']['http.attestation'];

/** What a waiver is now, in one word: the API's status, or revoked, or invalid (never applied). */
export function waiverState(w: Waiver, now = Date.now()): string {
  if (!w.valid) return 'invalid';
  if (w.revokedAt) return 'revoked';
  if (w.status === 'approved' && Date.parse(w.expiresAt) <= now) return 'expired';
  return w.status;
}

/** A datetime-local value (the browser's zone) as RFC 3339 in UTC. */
function isoFromLocal(value: string): string {
  return value ? new Date(value).toISOString() : '';
}

function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

const may = (session: Session, scope: string) => session.scopes.includes(scope);

export function Waivers({ slug, session }: { slug: string; session: Session }) {
  useEffect(() => {
    document.title = `Waivers and attestations · ${slug} · Posture`;
  }, [slug]);
  return (
    <>
      <h1>Waivers and attestations</h1>
      <WaiverSection slug={slug} session={session} />
      <AttestationSection slug={slug} session={session} />
    </>
  );
}

function WaiverSection({ slug, session }: { slug: string; session: Session }) {
  const [waivers, setWaivers] = useState<Waiver[]>();
  const [problem, setProblem] = useState<ProblemDoc>();
  const [notice, setNotice] = useState<string>();
  const [form, setForm] = useState({ ruleId: '', packId: '', itemMatch: '', justification: '', expiresAt: inDays(90) });

  const load = useCallback(() => {
    api
      .GET('/v1/tenants/{tenant}/waivers', { params: { path: { tenant: slug }, query: { limit: 1000 } } })
      .then(({ data, error, response }) => (data ? setWaivers(data.items) : setProblem(asProblem(error, response))));
  }, [slug]);
  useEffect(load, [load]);

  const request = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    setNotice(undefined);
    const { data, error, response } = await api.POST('/v1/tenants/{tenant}/waivers', {
      params: { path: { tenant: slug } },
      body: {
        ruleId: form.ruleId.trim(),
        ...(form.packId.trim() ? { packId: form.packId.trim() } : {}),
        itemMatch: form.itemMatch,
        justification: form.justification,
        expiresAt: isoFromLocal(form.expiresAt),
      },
    });
    if (!data) return setProblem(asProblem(error, response));
    setNotice(`Waiver requested for ${data.ruleId} on ${data.itemMatch}: pending until someone else approves it.`);
    setForm((f) => ({ ...f, ruleId: '', packId: '', itemMatch: '', justification: '' }));
    load();
  };

  const act = async (w: Waiver, action: 'approve' | 'revoke') => {
    setProblem(undefined);
    setNotice(undefined);
    const path = { tenant: slug, id: w.id };
    const { data, error, response } =
      action === 'approve'
        ? await api.POST('/v1/tenants/{tenant}/waivers/{id}/approve', { params: { path } })
        : await api.DELETE('/v1/tenants/{tenant}/waivers/{id}', { params: { path } });
    if (!data) return setProblem(asProblem(error, response));
    setNotice(`Waiver for ${w.ruleId} on ${w.itemMatch} is now ${waiverState(data)}.`);
    load();
  };

  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  return (
    <section aria-labelledby="waivers-h">
      <h2 id="waivers-h">Waivers</h2>
      {may(session, 'waivers:write') ? (
        <form onSubmit={request} className="stack" aria-label="Request a waiver">
          <div className="controls">
            <label>
              Rule
              <input value={form.ruleId} onChange={set('ruleId')} required placeholder="identity.mfa-enforced" />
            </label>
            <label>
              Pack (optional: every pack)
              <input value={form.packId} onChange={set('packId')} />
            </label>
            <label>
              Items (id or glob)
              <input value={form.itemMatch} onChange={set('itemMatch')} required placeholder="svc-*" />
            </label>
            <label>
              Expires
              <input type="datetime-local" value={form.expiresAt} onChange={set('expiresAt')} required />
            </label>
          </div>
          <label className="wide">
            Justification
            <textarea value={form.justification} onChange={set('justification')} required rows={3} />
          </label>
          <p>
            <button type="submit">Request waiver</button>
          </p>
        </form>
      ) : null}
      <Outcome notice={notice} problem={problem} />
      {waivers === undefined ? <p role="status">Loading waivers…</p> : null}
      {waivers ? (
        <TableRegion label="Waivers">
          <table>
            <caption>
              {waivers.length} waiver{waivers.length === 1 ? '' : 's'}
            </caption>
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Rule</th>
                <th scope="col">Items</th>
                <th scope="col">Justification</th>
                <th scope="col">Requested by</th>
                <th scope="col">Approved by</th>
                <th scope="col">Expires</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {waivers.map((w) => {
                const state = waiverState(w);
                const label = `${w.ruleId} on ${w.itemMatch}`;
                return (
                  <tr key={w.id}>
                    <td>
                      <span className={`state state-${state}`}>{state}</span>
                      {w.invalidReason ? <span className="muted"> {w.invalidReason}</span> : null}
                    </td>
                    <td>
                      {w.ruleId}
                      {w.packId ? <span className="muted"> ({w.packId})</span> : null}
                    </td>
                    <td>
                      <code>{w.itemMatch}</code>
                    </td>
                    <td>{w.justification}</td>
                    <td>{w.requestedBy.name ?? w.requestedBy.sub}</td>
                    <td>{w.approver ? (w.approver.name ?? w.approver.sub) : '—'}</td>
                    <td>{when(w.expiresAt)}</td>
                    <td className="actions">
                      {state === 'pending' && may(session, 'waivers:approve') ? (
                        <button type="button" onClick={() => act(w, 'approve')} aria-label={`Approve ${label}`}>
                          Approve
                        </button>
                      ) : null}
                      {(state === 'pending' || state === 'approved') && may(session, 'waivers:write') ? (
                        <button
                          type="button"
                          onClick={() => act(w, 'revoke')}
                          aria-label={`${state === 'pending' ? 'Reject' : 'Revoke'} ${label}`}
                        >
                          {state === 'pending' ? 'Reject' : 'Revoke'}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </section>
  );
}

interface PackRequirement {
  id: string;
  title?: string;
  manual?: boolean;
}

function AttestationSection({ slug, session }: { slug: string; session: Session }) {
  const [attestations, setAttestations] = useState<Attestation[]>();
  const [packs, setPacks] = useState<string[]>([]);
  const [requirements, setRequirements] = useState<PackRequirement[]>([]);
  const [problem, setProblem] = useState<ProblemDoc>();
  const [notice, setNotice] = useState<string>();
  const [packId, setPackId] = useState('');
  const [requirementId, setRequirementId] = useState('');
  const [statement, setStatement] = useState('');
  const [validUntil, setValidUntil] = useState(inDays(180));
  const [files, setFiles] = useState<File[]>([]);
  const [fileKey, setFileKey] = useState(0);
  const filesId = useId();

  const load = useCallback(() => {
    api
      .GET('/v1/tenants/{tenant}/attestations', { params: { path: { tenant: slug }, query: { limit: 1000 } } })
      .then(({ data, error, response }) =>
        data ? setAttestations(data.items) : setProblem(asProblem(error, response)),
      );
  }, [slug]);
  useEffect(load, [load]);
  useEffect(() => {
    api
      .GET('/v1/packs')
      .then(({ data }) => setPacks(((data as { items?: { id: string }[] })?.items ?? []).map((p) => p.id)));
  }, []);
  useEffect(() => {
    setRequirements([]);
    setRequirementId('');
    if (!packId) return;
    api.GET('/v1/packs/{pack}', { params: { path: { pack: packId } } }).then(({ data }) => {
      const all = ((data as { requirements?: PackRequirement[] })?.requirements ?? []).filter((r) => r.manual);
      setRequirements(all);
    });
  }, [packId]);

  const attest = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    setNotice(undefined);
    const form = new FormData();
    form.append(
      'attestation',
      new Blob([JSON.stringify({ packId, requirementId, statement, validUntil: isoFromLocal(validUntil) })], {
        type: 'application/json',
      }),
    );
    for (const f of files) form.append('file', f, f.name);
    const { data, error, response } = await api.POST('/v1/tenants/{tenant}/attestations', {
      params: { path: { tenant: slug } },
      ...rawBody(form),
    });
    if (!data) return setProblem(asProblem(error, response));
    setNotice(
      `Attested ${data.requirementId} of ${data.packId} with ${data.files.length} file${data.files.length === 1 ? '' : 's'}.`,
    );
    setStatement('');
    setFiles([]);
    setFileKey((k) => k + 1);
    load();
  };

  const revoke = async (a: Attestation) => {
    setProblem(undefined);
    setNotice(undefined);
    const { data, error, response } = await api.DELETE('/v1/tenants/{tenant}/attestations/{id}', {
      params: { path: { tenant: slug, id: a.id } },
    });
    if (!data) return setProblem(asProblem(error, response));
    setNotice(`Attestation of ${a.requirementId} revoked.`);
    load();
  };

  return (
    <section aria-labelledby="attestations-h">
      <h2 id="attestations-h">Attestations</h2>
      {may(session, 'attestations:write') ? (
        <form onSubmit={attest} className="stack" aria-label="Attest a requirement">
          <div className="controls">
            <label>
              Pack
              <select value={packId} onChange={(e) => setPackId(e.target.value)} required>
                <option value="">Choose a pack…</option>
                {packs.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Requirement (manual)
              <select value={requirementId} onChange={(e) => setRequirementId(e.target.value)} required>
                <option value="">Choose a requirement…</option>
                {requirements.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.id}
                    {r.title ? ` ${r.title}` : ''}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Valid until
              <input
                type="datetime-local"
                value={validUntil}
                onChange={(e) => setValidUntil(e.target.value)}
                required
              />
            </label>
          </div>
          <label className="wide">
            Statement
            <textarea value={statement} onChange={(e) => setStatement(e.target.value)} required rows={3} />
          </label>
          <label htmlFor={filesId}>Evidence files (PDF, images or text)</label>
          <input
            key={fileKey}
            id={filesId}
            type="file"
            multiple
            onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
          />
          <p>
            <button type="submit">Attest</button>
          </p>
        </form>
      ) : null}
      <Outcome notice={notice} problem={problem} />
      {attestations === undefined ? <p role="status">Loading attestations…</p> : null}
      {attestations ? (
        <TableRegion label="Attestations">
          <table>
            <caption>
              {attestations.length} attestation{attestations.length === 1 ? '' : 's'}
            </caption>
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Requirement</th>
                <th scope="col">Statement</th>
                <th scope="col">Evidence</th>
                <th scope="col">By</th>
                <th scope="col">Valid until</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {attestations.map((a) => (
                <tr key={a.id}>
                  <td>{a.revokedAt ? 'revoked' : a.active ? 'active' : 'expired'}</td>
                  <td>
                    {a.requirementId} <span className="muted">({a.packId})</span>
                  </td>
                  <td>{a.statement}</td>
                  <td>
                    {a.files.length
                      ? a.files.map((f) => (
                          <a
                            key={f.idx}
                            href={`/v1/tenants/${slug}/attestations/${a.id}/files/${f.idx}`}
                            download={f.filename}
                          >
                            {f.filename}
                          </a>
                        ))
                      : '—'}
                  </td>
                  <td>{a.attestedBy.name ?? a.attestedBy.sub}</td>
                  <td>{when(a.validUntil)}</td>
                  <td>
                    {!a.revokedAt && may(session, 'attestations:write') ? (
                      <button
                        type="button"
                        onClick={() => revoke(a)}
                        aria-label={`Revoke attestation of ${a.requirementId}`}
                      >
                        Revoke
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </section>
  );
}
