import { useCallback, useEffect, useState } from 'react';
import { api, type Session, setCsrfToken } from './api/client';
import { Link, navigate, useLocation } from './router';
import { ClientPage } from './screens/ClientPage';
import { Overview } from './screens/Overview';
import { SignIn } from './screens/SignIn';

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

  if (who.state === 'loading') return <p className="loading">Loading…</p>;
  if (who.state === 'signed-out') return <SignIn notice={who.reason} />;
  const { session } = who;
  const client = /^\/tenants\/([a-z0-9-]+)$/.exec(location.pathname)?.[1];
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
        ) : client ? (
          <ClientPage slug={client} search={location.search} />
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
