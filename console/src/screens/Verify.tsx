/**
 * The public Verify page: anyone drops a PDF and reads, in one sentence, whether it is a genuine,
 * unmodified report of this service, whose, and when (POST /v1/reports/verify, no sign-in).
 */
import { type DragEvent, useEffect, useId, useState } from 'react';
import type { paths } from '../../generated/openapi';
import { api } from '../api/client';
import { rawBody } from '../files';
import { when } from '../format';
import { asProblem, type ProblemDoc, ProblemView } from '../Problem';

type Verdict = paths['/v1/reports/verify']['post']['responses'][200]['content']['application/json'];

const CHANGED = new Set([
  'digest_mismatch',
  'not_covering_whole_file',
  'invalid_signature',
  'malformed_signature',
  'padding_not_zero',
  'missing_signing_certificate_v2',
  'signing_certificate_mismatch',
]);

/** The verdict in one sentence. */
export function verdictSentence(v: Verdict, file: string): string {
  if (v.valid) {
    return `Genuine: ${file} is an unmodified report of ${v.tenant ?? 'an unnamed tenant'}, issued by this service on ${when(v.signedAt ?? undefined)}.`;
  }
  if (v.reasons.includes('no_signature')) return `Not a report of this service: ${file} carries no signature.`;
  if (v.reasons.some((r) => CHANGED.has(r))) {
    return `Not genuine: ${file} was changed after it was signed, so it is not an unmodified report of this service.`;
  }
  if (v.reasons.includes('unknown_signer')) {
    return `Not a report of this service: ${file} is signed, but by ${v.signer ? `“${v.signer}”, ` : ''}a certificate this service never used.`;
  }
  return `Not a report of this service: ${file} is signed with its certificate, but no report this service issued has these bytes.`;
}

export function Verify() {
  const [verdict, setVerdict] = useState<{ file: string; v: Verdict }>();
  const [problem, setProblem] = useState<ProblemDoc>();
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const inputId = useId();
  useEffect(() => {
    document.title = 'Verify a report · Posture';
  }, []);

  const check = async (file: File | undefined) => {
    if (!file) return;
    setVerdict(undefined);
    setProblem(undefined);
    setBusy(true);
    const { data, error, response } = await api.POST('/v1/reports/verify', {
      headers: { 'Content-Type': 'application/pdf' },
      ...rawBody(file),
    });
    setBusy(false);
    if (data) setVerdict({ file: file.name, v: data });
    else setProblem(asProblem(error, response));
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    check(e.dataTransfer.files[0]);
  };

  return (
    <>
      <h1>Verify a report</h1>
      <p>
        Check a PDF report of Posture: whether this service signed it, that not one byte has changed since, whose it is
        and when it was made. No sign-in needed; the file is checked, not kept.
      </p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for the mouse; the file input inside is the keyboard's way */}
      <div
        className={`drop${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={inputId}>Report PDF (drop it here, or choose)</label>
        <input
          id={inputId}
          type="file"
          accept="application/pdf,.pdf"
          onChange={(e) => {
            check(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </div>
      <div aria-live="polite">
        {busy ? <p role="status">Checking…</p> : null}
        {verdict ? (
          <section aria-label="Verdict" className={`verdict ${verdict.v.valid ? 'good' : 'bad'}`}>
            <p className="sentence">{verdictSentence(verdict.v, verdict.file)}</p>
            <details>
              <summary>Details</summary>
              <dl>
                <dt>SHA-256</dt>
                <dd>
                  <code className="hash">{verdict.v.sha256}</code>
                </dd>
                {verdict.v.reportId ? (
                  <>
                    <dt>Report</dt>
                    <dd>
                      <code>{verdict.v.reportId}</code>
                    </dd>
                  </>
                ) : null}
                {verdict.v.signer ? (
                  <>
                    <dt>Signer</dt>
                    <dd>{verdict.v.signer}</dd>
                  </>
                ) : null}
                {verdict.v.reasons.length ? (
                  <>
                    <dt>Reasons</dt>
                    <dd>{verdict.v.reasons.join(', ')}</dd>
                  </>
                ) : null}
              </dl>
            </details>
          </section>
        ) : null}
        {problem ? <ProblemView problem={problem} /> : null}
      </div>
    </>
  );
}
