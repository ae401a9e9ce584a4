import { randomUUID } from 'node:crypto';
import type { StudioDb } from './database/connection.ts';

/** What the audit log records: who signed in, uploaded, approved, published, or changed a role. */
export type AuditAction =
  | 'sign-in'
  | 'sign-in-refused'
  | 'sign-out'
  | 'setup'
  | 'user-created'
  | 'role-changed'
  | 'user-disabled'
  | 'settings-changed'
  | 'channel-created'
  | 'upload'
  | 'item-edited'
  | 'item-removed'
  | 'collections-edited'
  | 'glossary-edited'
  | 'attract-edited'
  | 'practice-prompts-edited'
  | 'release-submitted'
  | 'release-approved'
  | 'release-rejected'
  | 'release-published'
  | 'release-rolled-back'
  | 'release-publish-failed'
  | 'enrolment-code-created'
  | 'device-enrolled'
  | 'device-revoked'
  | 'device-disconnected'
  | 'manager-team-assigned'
  | 'fleet-data-exported'
  | 'fleet-data-erased'
  | 'practice-reviewed'
  | 'practice-commented'
  | 'practice-example-marked'
  | 'forwarding-changed'
  | 'quiz-edited'
  | 'quiz-removed';

export async function recordAudit(
  db: Pick<StudioDb, 'insertInto'>,
  entry: { at: Date; userId: string | null; action: AuditAction; subject: string; detail?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('audit')
    .values({
      id: randomUUID(),
      at: entry.at.toISOString(),
      user_id: entry.userId,
      action: entry.action,
      subject: entry.subject,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}
