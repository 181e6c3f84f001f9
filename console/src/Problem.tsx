/** A problem-details answer (RFC 9457) shown as the API returned it: its detail and each error's JSON Pointer. */
import './forms.css';
export interface ProblemDoc {
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { in?: string; pointer?: string; message?: string; part?: string; page?: number; line?: number }[];
}

/** What an openapi-fetch call failed with, as a problem document (a non-JSON answer becomes its status). */
export function asProblem(error: unknown, response: Response): ProblemDoc {
  if (error && typeof error === 'object' && 'detail' in error) return error as ProblemDoc;
  return { status: response.status, detail: `the service answered ${response.status}` };
}

export function ProblemView({ problem }: { problem: ProblemDoc }) {
  return (
    <div role="alert" className="problem">
      <p>
        <strong>{problem.title ?? 'Refused'}</strong>
        {problem.status ? ` (${problem.status}${problem.code ? `, ${problem.code}` : ''})` : ''}: {problem.detail}
      </p>
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the API's order is the only identity
            <li key={i}>
              <code>{[e.in, e.part, e.pointer].filter((x) => x !== undefined && x !== '').join(' ') || '/'}</code>
              {e.page !== undefined ? ` page ${e.page}` : ''}
              {e.line !== undefined ? ` line ${e.line}` : ''}: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Where an action's outcome is announced: a status line or the API's refusal (a polite live region). */
export function Outcome({ notice, problem }: { notice?: string | null; problem?: ProblemDoc | null }) {
  return (
    <div aria-live="polite">
      {notice ? <p role="status">{notice}</p> : null}
      {problem ? <ProblemView problem={problem} /> : null}
    </div>
  );
}
