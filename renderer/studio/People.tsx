import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { studioApi, type Role, type SessionUser, type UserView } from './api.ts';
import { SingleSignOn } from './SingleSignOn.tsx';

const roles: Role[] = ['admin', 'editor', 'approver', 'manager', 'viewer'];

/** Admins invite people, change roles, and switch the two-person rule. */
export function People({ self, onChannelsChanged }: { self: SessionUser; onChannelsChanged(): void }) {
  const [users, setUsers] = useState<UserView[]>([]);
  const [twoPerson, setTwoPerson] = useState(true);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const load = useCallback(async () => {
    const [u, s] = await Promise.all([studioApi.users(), studioApi.settings()]);
    setUsers(u);
    setTwoPerson(s.twoPersonRule);
  }, []);
  useEffect(() => void load(), [load]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setMessage({ error: false, text: done });
      await load();
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message });
    }
  };

  const invite = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const target = event.currentTarget;
    void act(async () => {
      await studioApi.addUser({
        email: String(form.get('email')),
        name: String(form.get('name')),
        role: String(form.get('role')) as Role,
        password: String(form.get('password')),
      });
      target.reset();
    }, 'Account created. Tell them their password over another channel.');
  };

  return (
    <section className="studio-section" aria-labelledby="people-title">
      <h1 id="people-title">People</h1>
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'studio-error' : 'studio-ok'}>
          {message.text}
        </p>
      )}
      <label className="studio-check">
        <input
          type="checkbox"
          checked={twoPerson}
          onChange={(e) => void act(() => studioApi.updateSettings({ twoPersonRule: e.target.checked }), 'Saved.')}
        />{' '}
        Two-person rule: a release is approved by someone other than who submitted it
      </label>
      <table className="studio-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>
                <select
                  aria-label={`Role of ${u.email}`}
                  value={u.role}
                  disabled={u.id === self.id}
                  onChange={(e) =>
                    void act(() => studioApi.updateUser(u.id, { role: e.target.value as Role }), 'Role changed.')
                  }
                >
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="studio-bulk"
        aria-label="Add a channel"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const target = event.currentTarget;
          void act(async () => {
            await studioApi.createChannel({ id: String(form.get('id')), title: String(form.get('title')) });
            target.reset();
            onChannelsChanged();
          }, 'Channel created, with its own signing key.');
        }}
      >
        <label>
          Channel id <input name="id" pattern="[a-z0-9][a-z0-9._\-]*" required placeholder="emea" />
        </label>
        <label>
          Title <input name="title" required placeholder="EMEA sales" />
        </label>
        <button type="submit" className="button">
          Add channel
        </button>
      </form>
      <form className="studio-bulk" onSubmit={invite} aria-label="Add a person">
        <label>
          Name <input name="name" required />
        </label>
        <label>
          E-mail <input name="email" type="email" required />
        </label>
        <label>
          Role
          <select name="role" defaultValue="editor">
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          First password <input name="password" type="password" minLength={12} autoComplete="new-password" required />
        </label>
        <button type="submit" className="button button--primary">
          Add person
        </button>
      </form>
      <SingleSignOn />
    </section>
  );
}
