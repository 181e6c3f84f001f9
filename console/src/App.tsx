import { useCallback, useEffect, useState } from 'react';
import { api, type Session, setCsrfToken } from './api/client';
import { Link, navigate, useLocation } from './router';
import { ClientPage } from './screens/ClientPage';
import { Overview } from './screens/Overview';
import { Reports } from './screens/Reports';
import { SignIn } from './screens/SignIn';
import { Snapshots } from './screens/Snapshots';
import { Verify } from './screens/Verify';
import { Waivers } from './screens/Waivers';
import { TenantNav } from './TenantNav';

type Who = { state: 'loading' } | { state: 'signed-out'; reason?: string } | { state: 'in'; session: Session };

export function App() {
  const [who, setWho] = useState<Who>({ state: 'loading' });
  const location = useLocation();

  useEffect(() => {
    api.GET('/v1/session').then(({ data }) => {
      setCsrfToken(data?.csrfToken);
      setWho(data ? { state: 'in', session: data } : { state: 'signed-out' });
    });
  }, []);

  const signOut = useCallback(async () => {
    await api.POST('/v1/session/logout');
    setCsrfToken(undefined);
    setWho({ state: 'signed-out', reason: 'You are signed out.' });
    navigate('/');
  }, []);

  // the Verify page is public: anyone, signed in or not
  const verify = location.pathname === '/verify';
  if (verify && who.state !== 'in') return <PublicVerify />;
  if (who.state === 'loading') return <p className="loading">Loading…</p>;
  if (who.state === 'signed-out') return <SignIn notice={who.reason} />;
  const { session } = who;
  const tenantPath = /^\/tenants\/([a-z0-9-]+)(|\/snapshots|\/waivers|\/reports)$/.exec(location.pathname);
  const client = tenantPath?.[1];
  const screen = tenantPath?.[2] ?? '';
  return (
    <>
      <header className="top">
        <nav aria-label="Main">
          <Link href="/" className="brand">
            Posture
          </Link>
          <Link href="/" aria-current={location.pathname === '/' ? 'page' : undefined}>
            Overview
          </Link>
          <Link href="/verify" aria-current={verify ? 'page' : undefined}>
            Verify a report
          </Link>
        </nav>
        <div className="who">
          <span>
            {session.name ?? session.sub}
            {session.role ? ` · ${session.role}` : ''}
          </span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main>
        {location.pathname === '/' ? (
          <Overview />
        ) : verify ? (
          <Verify />
        ) : client ? (
          <>
            <TenantNav slug={client} current={screen} />
            {screen === '/snapshots' ? (
              <Snapshots slug={client} session={session} />
            ) : screen === '/waivers' ? (
              <Waivers slug={client} session={session} />
            ) : screen === '/reports' ? (
              <Reports slug={client} session={session} />
            ) : (
              <ClientPage slug={client} search={location.search} />
            )}
          </>
        ) : (
          <>
            <h1>Not found</h1>
            <p>
              Nothing here. Go to the <Link href="/">overview</Link>.
            </p>
          </>
        )}
      </main>
    </>
  );
}

/** The Verify page for a visitor without a session. */
function PublicVerify() {
  return (
    <>
      <header className="top">
        <nav aria-label="Main">
          <Link href="/" className="brand">
            Posture
          </Link>
          <Link href="/">Sign in</Link>
        </nav>
      </header>
      <main>
        <Verify />
      </main>
    </>
  );
}
