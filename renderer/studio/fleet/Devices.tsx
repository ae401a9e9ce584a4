import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Role } from '../api.ts';
import { formatWhen } from '../format.ts';
import type { CodeView, CreatedCode, DeviceView } from '#shared/studio-fleet';
import { fleetApi } from './api.ts';
import { ManagerTeams } from './ManagerTeams.tsx';
import { Suggestions } from './Suggestions.tsx';

/** Enrolment codes (a rep's or a booth's) and the devices enrolled with them; revoke from here. */
export function Devices({ role }: { role: Role }) {
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const [codes, setCodes] = useState<CodeView[]>([]);
  const [created, setCreated] = useState<CreatedCode | null>(null);
  const [kind, setKind] = useState<'rep' | 'booth'>('rep');
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    const [d, c] = await Promise.all([fleetApi.devices(), fleetApi.codes()]);
    setDevices(d);
    setCodes(c);
  }, []);
  useEffect(() => void load(), [load]);
  // Names already in use, suggested as IT types: "north" beside "North" would split a team's figures.
  const known = (column: 'team' | 'region') =>
    [...new Set([...devices, ...codes].map((d) => d[column]).filter((v): v is string => !!v))].sort((a, b) =>
      a.localeCompare(b),
    );

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Kept before any await: React clears the event's currentTarget once its handler returns.
    const element = event.currentTarget;
    const form = new FormData(element);
    const text = (k: string) => String(form.get(k) ?? '').trim();
    const hours = Number(form.get('hours'));
    try {
      setCreated(
        await fleetApi.createCode(
          kind === 'rep'
            ? {
                kind,
                name: text('name'),
                email: text('email'),
                team: text('team'),
                region: text('region') || null,
                expiresInHours: hours,
              }
            : { kind, event: text('event'), team: text('team') || null, expiresInHours: hours },
        ),
      );
      setError(null);
      element.reset();
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="fleet-devices">
      <form className="studio-card studio-card--wide" onSubmit={submit} aria-labelledby="code-title">
        <h3 id="code-title">Enrol a device</h3>
        <fieldset className="studio-fieldset">
          <legend>For</legend>
          <label className="studio-check">
            <input type="radio" name="kind" checked={kind === 'rep'} onChange={() => setKind('rep')} /> A rep
          </label>
          <label className="studio-check">
            <input type="radio" name="kind" checked={kind === 'booth'} onChange={() => setKind('booth')} /> A booth
            (kiosk)
          </label>
        </fieldset>
        {kind === 'rep' ? (
          <>
            <label>
              Name
              <input name="name" required maxLength={200} />
            </label>
            <label>
              E-mail
              <input name="email" type="email" required />
            </label>
            <label>
              Team
              <input name="team" list="fleet-known-teams" required maxLength={200} />
            </label>
            <label>
              Region
              <input name="region" list="fleet-known-regions" maxLength={200} />
            </label>
          </>
        ) : (
          <>
            <label>
              Event
              <input name="event" required maxLength={200} />
            </label>
            <label>
              Team (optional)
              <input name="team" list="fleet-known-teams" maxLength={200} />
            </label>
          </>
        )}
        <Suggestions id="fleet-known-teams" values={known('team')} />
        <Suggestions id="fleet-known-regions" values={known('region')} />
        <label>
          Valid for
          <select name="hours" defaultValue="168">
            <option value="24">1 day</option>
            <option value="168">7 days</option>
            <option value="720">30 days</option>
          </select>
        </label>
        {error && (
          <p role="alert" className="studio-error">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary">
          Make a code
        </button>
      </form>

      {created && (
        <section className="studio-card fleet-code" aria-labelledby="new-code-title">
          <h3 id="new-code-title">Enrolment code</h3>
          <p className="fleet-code__value" data-testid="enrolment-code">
            {created.code}
          </p>
          <img
            className="fleet-code__qr"
            alt={`QR code to enrol with code ${created.code}`}
            src={`data:image/svg+xml;utf8,${encodeURIComponent(created.qrSvg)}`}
          />
          <p className="studio-muted">
            Type the code in the app&apos;s “Connect to your company”, or scan the QR code. It works once, until{' '}
            {formatWhen(created.expiresAt)}, and is shown only now.
          </p>
        </section>
      )}

      <h3>Devices</h3>
      <div className="fleet-scroll">
        <table className="studio-table" aria-label="Devices">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Rep or booth</th>
              <th scope="col">Team</th>
              <th scope="col">App</th>
              <th scope="col">Release</th>
              <th scope="col">Last seen</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id}>
                <td>{d.name}</td>
                <td>{d.repName ?? d.event ?? '—'}</td>
                <td>{d.team ?? '—'}</td>
                <td>{d.appVersion}</td>
                <td>{d.releaseVersion ?? '—'}</td>
                <td>{formatWhen(d.lastSeenAt)}</td>
                <td>
                  {d.disconnectedAt ? (
                    `Disconnected on the device ${formatWhen(d.disconnectedAt)}`
                  ) : d.revokedAt ? (
                    `Revoked ${formatWhen(d.revokedAt)}`
                  ) : (
                    <button
                      type="button"
                      className="button"
                      aria-label={`Revoke ${d.name} (${d.repName ?? d.event ?? d.id})`}
                      onClick={async () => {
                        if (!confirm(`Revoke ${d.name}? It will send nothing more to Studio.`)) return;
                        await fleetApi.revoke(d.id);
                        await load();
                      }}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {devices.length === 0 && <p className="studio-muted">No device has enrolled yet.</p>}
      </div>

      <h3>Codes</h3>
      <div className="fleet-scroll">
        <table className="studio-table" aria-label="Enrolment codes">
          <thead>
            <tr>
              <th scope="col">For</th>
              <th scope="col">Team</th>
              <th scope="col">Made</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((c) => (
              <tr key={c.id}>
                <td>{c.kind === 'rep' ? `${c.repName} <${c.repEmail}>` : `Booth: ${c.event}`}</td>
                <td>{c.team ?? '—'}</td>
                <td>{formatWhen(c.createdAt)}</td>
                <td>{formatWhen(c.expiresAt)}</td>
                <td>{c.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {role === 'manager' && <p className="studio-muted">Codes and devices of your team.</p>}
      {role === 'admin' && <ManagerTeams />}
    </div>
  );
}
