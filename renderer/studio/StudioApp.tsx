import { lazy, Suspense, useCallback, useEffect, useState, type FormEvent } from 'react';
import { bootData, studioApi, StudioApiError, type Channel, type SessionUser } from './api.ts';
import { Library } from './Library.tsx';

// The library is what opens first; the other sections load when someone goes there, so the
// first screen parses and runs only its own code.
const Review = lazy(() => import('./Review.tsx').then((m) => ({ default: m.Review })));
const Fleet = lazy(() => import('./fleet/Fleet.tsx').then((m) => ({ default: m.Fleet })));
const People = lazy(() => import('./People.tsx').then((m) => ({ default: m.People })));
const Practice = lazy(() => import('./practice/Practice.tsx').then((m) => ({ default: m.Practice })));
const Points = lazy(() => import('./quizzes/Points.tsx').then((m) => ({ default: m.Points })));
const Quizzes = lazy(() => import('./quizzes/Quizzes.tsx').then((m) => ({ default: m.Quizzes })));
const HowRepsSayItSection = lazy(() =>
  import('./rehearse/HowRepsSayIt.tsx').then((m) => ({ default: m.HowRepsSayItSection })),
);

type Tab = 'library' | 'review' | 'quizzes' | 'points' | 'fleet' | 'practice' | 'rehearse' | 'people';

const tabLabels: Record<Tab, string> = {
  library: 'Library',
  review: 'Review & publish',
  quizzes: 'Quizzes',
  points: 'Points',
  fleet: 'Fleet',
  practice: 'Practice',
  rehearse: 'How reps say it',
  people: 'People',
};

/** Who is signed in decides what is shown; the server decides what is allowed. */
export function StudioApp() {
  // Studio puts the session and channels in the page it serves: the first screen needs no round trip.
  const [boot] = useState(() => bootData());
  const [user, setUser] = useState<SessionUser | null | undefined>(boot?.session.user);
  const [setupNeeded, setSetupNeeded] = useState(false);
  const [tab, setTab] = useState<Tab>('library');
  const [channels, setChannels] = useState<Channel[]>(boot?.channels ?? []);
  const [channelId, setChannelId] = useState('default');

  const load = useCallback(async () => {
    if (boot) return;
    try {
      setUser((await studioApi.session()).user);
    } catch (error) {
      if (error instanceof StudioApiError && error.status === 401) {
        setSetupNeeded((await studioApi.setupStatus()).needed);
        setUser(null);
      } else throw error;
    }
  }, []);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (user && !(boot && user === boot.session.user)) void studioApi.channels().then(setChannels);
  }, [user, boot]);
  const channel = channels.find((c) => c.id === channelId) ?? channels[0];

  if (user === undefined) return <main className="studio-center" aria-busy="true" />;
  if (!user) {
    const token = location.pathname === '/setup' ? location.hash.slice(1) : '';
    return setupNeeded && token ? (
      <SetUp token={token} onDone={setUser} />
    ) : (
      <SignIn onDone={setUser} setupNeeded={setupNeeded} />
    );
  }
  return (
    <div className="studio">
      <header className="studio-bar">
        <strong className="studio-bar__brand">Pitchcase Studio</strong>
        <nav className="studio-tabs" aria-label="Sections">
          {(
            [
              'library',
              'review',
              'quizzes',
              ...(['admin', 'editor', 'manager'].includes(user.role) ? ['points'] : []),
              'fleet',
              // Reps' recordings and own words: not for viewers (main/studio/access.ts says the same).
              ...(user.role !== 'viewer' ? ['practice', 'rehearse'] : []),
              ...(user.role === 'admin' ? ['people'] : []),
            ] as Tab[]
          ).map((t) => (
            <button
              key={t}
              type="button"
              className="studio-tab"
              aria-current={tab === t ? 'page' : undefined}
              onClick={() => setTab(t)}
            >
              {tabLabels[t]}
            </button>
          ))}
        </nav>
        {channels.length > 1 && (
          <select aria-label="Channel" value={channel?.id} onChange={(e) => setChannelId(e.target.value)}>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        )}
        <div className="studio-bar__account">
          <span className="studio-bar__who">
            {user.name} · {user.role}
          </span>
          <button
            type="button"
            className="button"
            onClick={async () => {
              await studioApi.signOut();
              setUser(null);
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main className="studio-main">
        <Suspense fallback={<p className="studio-muted">Loading…</p>}>
          {channel && tab === 'library' && <Library key={channel.id} role={user.role} channel={channel.id} />}
          {channel && tab === 'review' && <Review key={channel.id} user={user} channel={channel} />}
          {channel && tab === 'quizzes' && <Quizzes key={channel.id} channel={channel.id} role={user.role} />}
          {tab === 'points' && <Points role={user.role} />}
          {tab === 'fleet' && <Fleet role={user.role} />}
          {tab === 'practice' && <Practice role={user.role} />}
          {tab === 'rehearse' && <HowRepsSayItSection />}
          {tab === 'people' && (
            <People self={user} onChannelsChanged={() => void studioApi.channels().then(setChannels)} />
          )}
        </Suspense>
      </main>
    </div>
  );
}

/** What single sign-on sent back when it refused someone (#sso-error=…); the page clears it once shown. */
function ssoError(): string | null {
  const match = /^#sso-error=(.*)$/.exec(location.hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return 'Single sign-on did not work; try again.';
  }
}

function SignIn({ onDone, setupNeeded }: { onDone(user: SessionUser): void; setupNeeded: boolean }) {
  const [error, setError] = useState<string | null>(ssoError);
  const [sso, setSso] = useState<{ label: string } | null>(null);
  useEffect(() => {
    // Said once: a reload does not repeat an old refusal.
    if (location.hash.startsWith('#sso-error=')) history.replaceState(null, '', location.pathname);
    void studioApi.signInOptions().then(
      (options) => setSso(options.sso),
      () => setSso(null),
    );
  }, []);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      onDone((await studioApi.signIn(String(form.get('email')), String(form.get('password')))).user);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <main className="studio-center">
      <form className="studio-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Pitchcase Studio</h1>
        {setupNeeded && (
          <p className="studio-note">Nobody has an account yet: open the set-up link Studio printed when it started.</p>
        )}
        <label>
          E-mail
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p role="alert" className="studio-error">
            {error}
          </p>
        )}
        <button className="button button--primary" type="submit">
          Sign in
        </button>
        {sso && (
          <>
            <p className="studio-note">or</p>
            {/* A full page visit: the provider's sign-in needs the whole window, not a fetch. */}
            <a className="button" href="/api/sso/start">
              Sign in with {sso.label}
            </a>
          </>
        )}
      </form>
    </main>
  );
}

function SetUp({ token, onDone }: { token: string; onDone(user: SessionUser): void }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const session = await studioApi.createAdmin({
        token,
        email: String(form.get('email')),
        name: String(form.get('name')),
        password: String(form.get('password')),
      });
      history.replaceState(null, '', '/');
      onDone(session.user);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <main className="studio-center">
      <form className="studio-card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Create the first admin</h1>
        <p className="studio-note">This link works once. The admin then invites editors and approvers.</p>
        <label>
          Name
          <input name="name" autoComplete="name" required />
        </label>
        <label>
          E-mail
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password (at least 12 characters)
          <input name="password" type="password" autoComplete="new-password" minLength={12} required />
        </label>
        {error && (
          <p role="alert" className="studio-error">
            {error}
          </p>
        )}
        <button className="button button--primary" type="submit">
          Create admin
        </button>
      </form>
    </main>
  );
}
