/**
 * A tenant's snapshots: upload an export (dropped, or picked with the keyboard) for a source, as
 * one body or as the named parts a multi-part source takes; the API's warnings and refusals as it
 * returns them; the history of every source.
 */
import { type DragEvent, type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { api, type Session } from '../api/client';
import { mediaType, rawBody } from '../files';
import { when } from '../format';
import { asProblem, type ProblemDoc, ProblemView } from '../Problem';
import { TableRegion } from '../TableRegion';
import type { components, paths } from '../../generated/openapi';

type Snapshot = components['schemas']['http.snapshot'];
type Ingested = paths['/v1/tenants/{tenant}/snapshots']['post']['responses'][201]['content']['application/json'];
interface Choice {
  key: number;
  file: File;
  part: string;
}
let chosen = 0;

/** `source` and `kind` of POST /v1/tenants/{tenant}/snapshots, from the service's own OpenAPI document. */
async function ingestVocabulary(): Promise<{ sources: string[]; kinds: string[] }> {
  const doc = await (await fetch('/openapi.json')).json();
  const params = (doc.paths['/v1/tenants/{tenant}/snapshots'].post.parameters ?? []) as {
    name: string;
    schema?: { enum?: string[]; examples?: string[] };
  }[];
  const values = (name: string) => {
    const s = params.find((p) => p.name === name)?.schema;
    return s?.enum ?? s?.examples ?? [];
  };
  return { sources: values('source'), kinds: values('kind') };
}

export function Snapshots({ slug, session }: { slug: string; session: Session }) {
  useEffect(() => {
    document.title = `Snapshots · ${slug} · Posture`;
  }, [slug]);
  const [vocabulary, setVocabulary] = useState<{ sources: string[]; kinds: string[] }>();
  const [source, setSource] = useState('');
  const [kind, setKind] = useState('');
  const [instance, setInstance] = useState('');
  const [files, setFiles] = useState<Choice[]>([]);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ status: number; body: Ingested }>();
  const [problem, setProblem] = useState<ProblemDoc>();
  const [history, setHistory] = useState<Snapshot[]>();
  const inputId = useId();

  useEffect(() => {
    ingestVocabulary().then(setVocabulary);
  }, []);

  const loadHistory = useCallback(() => {
    api
      .GET('/v1/tenants/{tenant}/snapshots', { params: { path: { tenant: slug }, query: { limit: 1000 } } })
      .then(({ data, error, response }) => (data ? setHistory(data.items) : setProblem(asProblem(error, response))));
  }, [slug]);
  useEffect(loadHistory, [loadHistory]);

  const add = (list: FileList | null) => {
    if (!list) return;
    setFiles((old) => [...old, ...Array.from(list).map((file) => ({ key: ++chosen, file, part: '' }))]);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    add(e.dataTransfer.files);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setResult(undefined);
    setProblem(undefined);
    if (!source) return setProblem({ detail: 'choose the source the export comes from' });
    if (files.length === 0) return setProblem({ detail: 'drop or choose the export file' });
    const single = files.length === 1 && !files[0]!.part.trim();
    if (!single && files.some((f) => !f.part.trim())) {
      return setProblem({ detail: 'name the part of every file (several files are sent as multipart/form-data)' });
    }
    let body: Blob | FormData;
    let headers: Record<string, string> = {};
    if (single) {
      body = files[0]!.file;
      headers = { 'Content-Type': mediaType(files[0]!.file) };
    } else {
      const form = new FormData();
      // each part with its own media type: the API reads JSON, XML or text by the part's type
      for (const f of files) form.append(f.part.trim(), new Blob([f.file], { type: mediaType(f.file) }), f.file.name);
      body = form;
    }
    setBusy(true);
    const { data, error, response } = await api.POST('/v1/tenants/{tenant}/snapshots', {
      params: {
        path: { tenant: slug },
        query: { source, ...(kind ? { kind } : {}), ...(instance.trim() ? { instance: instance.trim() } : {}) },
      },
      headers,
      ...rawBody(body),
    });
    setBusy(false);
    if (data) {
      setResult({ status: response.status, body: data });
      setFiles([]);
      loadHistory();
    } else setProblem(asProblem(error, response));
  };

  const bySource = new Map<string, Snapshot[]>();
  for (const s of history ?? []) bySource.set(s.source, [...(bySource.get(s.source) ?? []), s]);

  return (
    <>
      <h1>Snapshots</h1>
      <h2>Upload an export</h2>
      {session.scopes.includes('snapshots:write') ? null : (
        <p>
          Uploading needs the <code>snapshots:write</code> scope, which this session (role {session.role ?? 'token'})
          does not have: the history is below.
        </p>
      )}
      <form onSubmit={submit} className="stack" hidden={!session.scopes.includes('snapshots:write')}>
        <div className="controls">
          <label>
            Source
            <select value={source} onChange={(e) => setSource(e.target.value)} required>
              <option value="">Choose a source…</option>
              {vocabulary?.sources.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          {source === 'canonical' ? (
            <label>
              Kind
              <select value={kind} onChange={(e) => setKind(e.target.value)} required>
                <option value="">Choose a kind…</option>
                {vocabulary?.kinds.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label>
            Instance (optional)
            <input value={instance} onChange={(e) => setInstance(e.target.value)} />
          </label>
        </div>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for the mouse; the file input inside is the keyboard's way */}
        <div
          className={`drop${dragging ? ' dragging' : ''}`}
          data-testid="drop-zone"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <label htmlFor={inputId}>Export files (drop them here, or choose)</label>
          <input id={inputId} type="file" multiple onChange={(e) => add(e.target.files)} />
          <p className="muted">
            One file is sent as the body. A source that takes several exports takes one file per part: name each part (a
            part repeated once per page).
          </p>
        </div>
        {files.length ? (
          <ul className="parts">
            {files.map((f, i) => (
              <li key={f.key}>
                <span>{f.file.name}</span>
                <label>
                  Part name for {f.file.name}
                  <input
                    value={f.part}
                    onChange={(e) =>
                      setFiles((old) => old.map((o, j) => (j === i ? { ...o, part: e.target.value } : o)))
                    }
                  />
                </label>
                <button type="button" onClick={() => setFiles((old) => old.filter((_, j) => j !== i))}>
                  Remove {f.file.name}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <p>
          <button type="submit" disabled={busy}>
            {busy ? 'Uploading…' : 'Upload'}
          </button>
        </p>
      </form>
      {problem ? <ProblemView problem={problem} /> : null}
      {result ? (
        <section aria-label="Upload result" role="status">
          <p>
            {result.status === 201 ? 'Stored' : 'Unchanged since the latest snapshot of this source:'} snapshot{' '}
            <code>{result.body.id}</code> of {result.body.source} ({result.body.kind}, instance {result.body.instance}
            ), {result.body.itemCount} items, collected {when(result.body.collectedAt)}.
          </p>
          {result.body.warnings.length ? (
            <>
              <p>
                {result.body.warnings.length} warning{result.body.warnings.length === 1 ? '' : 's'}:
              </p>
              <ul>
                {result.body.warnings.map((w, i) => {
                  const at = w as typeof w & { part?: string; page?: number; pointer?: string; line?: number };
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the API's order is the only identity
                    <li key={i}>
                      <code>{w.code}</code>
                      {at.part ? ` in ${at.part}` : ''}
                      {at.page !== undefined ? ` page ${at.page}` : ''}
                      {at.pointer !== undefined ? (
                        <>
                          {' '}
                          at <code>{at.pointer}</code>
                        </>
                      ) : null}
                      {at.line !== undefined ? ` line ${at.line}` : ''}: {w.message}
                    </li>
                  );
                })}
              </ul>
            </>
          ) : (
            <p>No warnings.</p>
          )}
        </section>
      ) : null}
      <h2>History</h2>
      {history === undefined ? <p role="status">Loading snapshots…</p> : null}
      {history?.length === 0 ? <p>No snapshot yet.</p> : null}
      {[...bySource].map(([src, list]) => (
        <TableRegion key={src} label={`History of ${src}`}>
          <table>
            <caption>
              {src}: {list.length} snapshot{list.length === 1 ? '' : 's'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Collected</th>
                <th scope="col">Kind</th>
                <th scope="col">Instance</th>
                <th scope="col">Items</th>
                <th scope="col">Parts</th>
                <th scope="col">Warnings</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id}>
                  <td>{when(s.collectedAt)}</td>
                  <td>{s.kind}</td>
                  <td>{s.instance}</td>
                  <td className="num">{s.itemCount}</td>
                  <td>{s.parts.map((p) => `${p.name}${p.page ? ` p${p.page + 1}` : ''}`).join(', ')}</td>
                  <td className="num">{s.warnings.length}</td>
                  <td>{s.submittedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ))}
    </>
  );
}
