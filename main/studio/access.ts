import type { Role } from './roles.ts';

/**
 * Who may call what: THE access table of Studio. Every route names its entry here; the
 * transport checks it before a handler runs, so a handler never decides access on its own.
 * 'public' needs no session (sign-in, first set-up, the channel a device syncs from).
 */
export type Access = 'public' | readonly Role[];

const everyone = ['admin', 'editor', 'approver', 'manager', 'viewer'] as const;
const authors = ['admin', 'editor'] as const;
const reviewers = ['admin', 'approver'] as const;
const practiceReviewers = ['admin', 'editor', 'approver', 'manager'] as const;

export const access = {
  'session.signIn': 'public',
  'session.get': everyone,
  'session.signOut': everyone,
  'setup.status': 'public',
  // Single sign-on: the provider's round trip happens before anyone has a session.
  'sso.options': 'public',
  'sso.start': 'public',
  'sso.callback': 'public',
  'sso.settings': ['admin'],
  'sso.configure': ['admin'],
  'setup.createAdmin': 'public',
  'users.list': ['admin'],
  'users.create': ['admin'],
  'users.update': ['admin'],
  'audit.list': ['admin'],
  'settings.get': everyone,
  'settings.update': ['admin'],
  'channels.list': everyone,
  'channels.create': ['admin'],
  'items.list': everyone,
  'collections.list': everyone,
  'collections.save': authors,
  'glossary.get': everyone,
  'glossary.save': authors,
  'attract.get': everyone,
  'attract.save': authors,
  'practicePrompts.list': everyone,
  'practicePrompts.save': authors,
  'items.expiring': everyone,
  'items.history': everyone,
  'items.thumbnail': everyone,
  'items.upload': authors,
  'uploads.start': authors,
  'uploads.status': authors,
  'uploads.append': authors,
  'items.update': authors,
  'items.updateMany': authors,
  'items.remove': authors,
  'draft.diff': everyone,
  'draft.pages': everyone,
  'releases.list': everyone,
  'releases.submit': authors,
  'releases.approve': reviewers,
  'releases.reject': reviewers,
  // Approval is the gate; once approved, whoever submitted it may also send it out.
  'releases.publish': ['admin', 'editor', 'approver'],
  'releases.rollback': reviewers,
  'publishJobs.list': everyone,
  'publishJobs.get': everyone,
  'hosting.file': 'public',
  // Devices: the enrolment code or the device credential is checked by the fleet's own calls.
  'fleet.enrol': 'public',
  'fleet.ingest': 'public',
  'fleet.feed': 'public',
  'fleet.disconnect': 'public',
  // The page a QR code opens on a phone: it reads nothing and uses no code.
  'fleet.enrolPage': 'public',
  'fleet.standing': 'public',
  // Managers act on their own team only (main/studio/fleet/scope.ts narrows every query).
  'fleet.codes.create': ['admin', 'manager'],
  'fleet.codes.list': ['admin', 'manager'],
  'fleet.devices.list': ['admin', 'manager'],
  'fleet.devices.revoke': ['admin', 'manager'],
  'fleet.managers.list': ['admin'],
  'fleet.managers.assign': ['admin'],
  'fleet.content': everyone,
  'fleet.pages': everyone,
  'fleet.unused': everyone,
  'fleet.searchGaps': everyone,
  'fleet.readiness': everyone,
  'fleet.choices': everyone,
  'fleet.team': ['admin', 'manager'],
  // Lead figures come from visitors' details: not for viewers (or approvers).
  'fleet.booths': ['admin', 'editor', 'manager'],
  'fleet.privacy.export': ['admin'],
  'fleet.privacy.erase': ['admin'],
  // Practice recordings: a device's own calls check its credential; reviewing is for marketing
  // and managers (their team only, main/studio/fleet/scope.ts). A viewer never hears a rep.
  'practice.uploads.start': 'public',
  'practice.uploads.append': 'public',
  'practice.feed': 'public',
  'practice.examples.audio': 'public',
  'practice.list': practiceReviewers,
  'practice.get': practiceReviewers,
  'practice.audio': practiceReviewers,
  'practice.review': practiceReviewers,
  'practice.comment': practiceReviewers,
  // An example goes to every rep: marketing's call, not a manager's.
  'practice.example': ['admin', 'editor', 'approver'],
  // Forwarding to the CRM holds its credentials and shows where each lead stands: admins only.
  'forwarding.get': ['admin'],
  'forwarding.update': ['admin'],
  'forwarding.test': ['admin'],
  'forwarding.retry': ['admin'],
  'forwarding.records': ['admin'],
  // Quizzes are marketing's to write; anyone who reads the library may read them.
  'quizzes.list': everyone,
  'quizzes.save': authors,
  'quizzes.remove': authors,
  'quizzes.starter': authors,
  // Points and progress: a manager their team only (points/routes.ts narrows it), marketing all.
  'points.leaderboard': ['admin', 'editor', 'manager'],
  'points.team': ['admin', 'editor', 'manager'],
  // Reps' rehearsal transcripts: marketing and reviewers see all, a manager their team's
  // (main/studio/fleet/scope.ts), a viewer none (they are the reps' own words).
  'rehearse.prompts': ['admin', 'editor', 'approver', 'manager'],
  'rehearse.howRepsSayIt': ['admin', 'editor', 'approver', 'manager'],
  'rehearse.transcript': ['admin', 'editor', 'approver', 'manager'],
  // A preview runs a core: the people who make and check releases may start one.
  'previews.start': ['admin', 'editor', 'approver'],
  'previews.stop': ['admin', 'editor', 'approver'],
} as const satisfies Record<string, Access>;

export type RouteId = keyof typeof access;

export function allows(route: RouteId, role: Role | null): boolean {
  const rule: Access = access[route];
  if (rule === 'public') return true;
  return role !== null && rule.includes(role);
}
