import { useCallback, useEffect, useState } from 'react';
import { fleetApi } from './api.ts';

/** Admins say which team each manager sees; a manager without one sees no fleet data. */
export function ManagerTeams() {
  const [managers, setManagers] = useState<{ id: string; name: string; email: string; team: string | null }[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const load = useCallback(async () => setManagers(await fleetApi.managers()), []);
  useEffect(() => void load(), [load]);
  if (managers.length === 0) return null;
  return (
    <section aria-labelledby="manager-teams-title">
      <h3 id="manager-teams-title">Managers&apos; teams</h3>
      <table className="studio-table">
        <thead>
          <tr>
            <th scope="col">Manager</th>
            <th scope="col">Team they see</th>
          </tr>
        </thead>
        <tbody>
          {managers.map((m) => (
            <tr key={m.id}>
              <td>
                {m.name} &lt;{m.email}&gt;
              </td>
              <td>
                <form
                  className="fleet-inline-form"
                  onSubmit={async (e) => {
                    e.preventDefault();
                    const team = String(new FormData(e.currentTarget).get('team') ?? '').trim();
                    try {
                      await fleetApi.assignTeam(m.id, team);
                      setMessage(`${m.name} now sees team ${team}.`);
                      await load();
                    } catch (error) {
                      setMessage((error as Error).message);
                    }
                  }}
                >
                  <input
                    name="team"
                    // The teams in use, listed by Devices (this table's parent).
                    list="fleet-known-teams"
                    aria-label={`Team of ${m.name}`}
                    defaultValue={m.team ?? ''}
                    required
                  />{' '}
                  <button type="submit" className="button">
                    Save
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {message && (
        <p role="status" className="studio-muted">
          {message}
        </p>
      )}
    </section>
  );
}
