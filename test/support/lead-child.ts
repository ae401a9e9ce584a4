/**
 * A kiosk capturing leads as fast as it can, as a process the crash tests SIGKILL at random.
 * argv: PROFILE_DIR PREFIX. Prints "ack <leadId> <email>" only after captureLead resolved.
 */
import { createCore } from '#core/index';

const [profileDir, prefix] = process.argv.slice(2);
const core = await createCore({
  profileDir: profileDir!,
  shell: 'browser',
  profileKind: 'kiosk',
  siteBaseUrl: 'http://127.0.0.1',
});
const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const { sessionId } = await core.api.startVisitorSession({});
  const email = `${prefix}-${i}@crash-test.example`;
  const result = await core.api.captureLead({
    sessionId,
    fields: { firstName: 'Crash', lastName: `Visitor ${i}`, email, company: 'Booth' },
    consent: { given: true, version },
  });
  if ('leadId' in result) process.stdout.write(`ack ${result.leadId} ${email}\n`);
}
