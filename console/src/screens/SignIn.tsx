/** What a visitor without a session sees: how people sign in to Posture. */
export function SignIn({ notice }: { notice?: string }) {
  return (
    <main className="sign-in">
      <h1>Sign in to Posture</h1>
      {notice ? <p role="status">{notice}</p> : null}
      <p>Posture signs people in with a one-time link. Ask your administrator for one: on the server they run</p>
      <pre>
        <code>posture login-link --tenant &lt;tenant&gt; --role &lt;officer|auditor|admin&gt; --sub &lt;you&gt;</code>
      </pre>
      <p>
        and send you the URL it prints. A link works once, for ten minutes; the session it opens lasts twelve hours or
        until you sign out.
      </p>
      <p>
        Have a report PDF? Anyone can <a href="/verify">verify a report</a> without signing in.
      </p>
    </main>
  );
}
