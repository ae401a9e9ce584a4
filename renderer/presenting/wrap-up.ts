/** The meeting wrap-up's wording, pure: times, the shown list and the follow-up e-mail draft. */
import type { ShownPage } from '#shared/presenting';

export interface ShownLine extends ShownPage {
  title: string;
  shareUrl: string | null;
}

/** 65 000 ms -> "1 min 5 s"; 4 000 -> "4 s". */
export function formatDwell(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

export function shownLabel(line: Pick<ShownLine, 'title' | 'page'>): string {
  return line.page === null ? line.title : `${line.title}, p. ${line.page}`;
}

/** One line per item (its pages together), with the item's share link, in the order shown. */
export function followUpItems(
  lines: readonly ShownLine[],
): { title: string; pages: number[]; shareUrl: string | null }[] {
  const byItem = new Map<string, { title: string; pages: number[]; shareUrl: string | null }>();
  for (const line of lines) {
    let entry = byItem.get(line.itemId);
    if (!entry) byItem.set(line.itemId, (entry = { title: line.title, pages: [], shareUrl: line.shareUrl }));
    if (line.page !== null && !entry.pages.includes(line.page)) entry.pages.push(line.page);
  }
  return [...byItem.values()].map((entry) => ({ ...entry, pages: [...entry.pages].sort((a, b) => a - b) }));
}

export interface FollowUpInput {
  contact: string;
  account: string;
  lines: readonly ShownLine[];
  /** The e-mail of a contact picked from CRM, when the contact field holds their name. */
  email?: string;
}

const emailPattern = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The draft's subject and body (plain text, what the rep's mail client opens). */
export function followUpDraft({ contact, account, lines, email: pickedEmail }: FollowUpInput): {
  to: string;
  subject: string;
  body: string;
} {
  const trimmed = contact.trim();
  const typedEmail = emailPattern.test(trimmed);
  const email = typedEmail ? trimmed : emailPattern.test(pickedEmail?.trim() ?? '') ? pickedEmail!.trim() : '';
  const name = typedEmail ? '' : (trimmed.split(/\s+/)[0] ?? '');
  const items = followUpItems(lines);
  const list = items.map((item) => {
    const pages = item.pages.length ? ` (${item.pages.length === 1 ? 'p.' : 'pp.'} ${item.pages.join(', ')})` : '';
    return `- ${item.title}${pages}${item.shareUrl ? `\n  ${item.shareUrl}` : ''}`;
  });
  const body = [
    `Hello${name ? ` ${name}` : ''},`,
    '',
    'Thank you for your time today. Here is what we looked at together:',
    '',
    ...(list.length ? list : ['- (nothing was shown)']),
    '',
    'Let me know if you have any questions.',
    '',
    'Best regards',
  ].join('\n');
  return {
    to: email,
    subject: account.trim() ? `Following up on our meeting: ${account.trim()}` : 'Following up on our meeting',
    body,
  };
}

/** A mailto: link (RFC 6068: percent-encoded, CRLF line breaks). */
export function mailtoHref(draft: { to: string; subject: string; body: string }): string {
  const query = `subject=${encodeURIComponent(draft.subject)}&body=${encodeURIComponent(draft.body.replace(/\r?\n/g, '\r\n'))}`;
  return `mailto:${encodeURIComponent(draft.to).replace(/%40/g, '@')}?${query}`;
}

/** What the rep types (or picks) in the wrap-up; an id is set only for a record picked from CRM. */
export interface WrapUpFields {
  account: string;
  accountId: string | null;
  contact: string;
  contactId: string | null;
  opportunity: string;
  opportunityId: string | null;
  outcome: string;
  notes: string;
}

export const emptyFields: WrapUpFields = {
  account: '',
  accountId: null,
  contact: '',
  contactId: null,
  opportunity: '',
  opportunityId: null,
  outcome: '',
  notes: '',
};

/** "cached just now", "cached 5 min ago", "cached 3 h ago", "cached 12 May" (or "not cached yet"). */
export function cachedLabel(cachedAt: string | null, now: number, locale?: string): string {
  const at = cachedAt ? Date.parse(cachedAt) : NaN;
  if (Number.isNaN(at)) return 'not cached yet';
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return 'cached just now';
  if (minutes < 60) return `cached ${minutes} min ago`;
  if (minutes < 24 * 60) return `cached ${Math.floor(minutes / 60)} h ago`;
  return `cached ${new Date(at).toLocaleDateString(locale, { day: 'numeric', month: 'short' })}`;
}

/** The second line of a picker option: who or what it is, and where. */
export function crmRecordDetail(record: {
  kind: 'account' | 'contact' | 'opportunity';
  email: string;
  title: string;
  stage: string;
  accountName: string;
}): string {
  const parts =
    record.kind === 'contact'
      ? [record.title, record.accountName, record.email]
      : record.kind === 'opportunity'
        ? [record.stage, record.accountName]
        : [];
  return parts.filter(Boolean).join(' · ');
}

/** The meeting list's line: "12 May 2026, 09:00 · 45 min". */
export function meetingWhen(startedAt: string, endedAt: string, locale?: string): string {
  const start = new Date(startedAt);
  if (Number.isNaN(start.getTime())) return '';
  const day = start.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' });
  const time = start.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return `${day}, ${time} · ${formatDwell(Math.max(0, Date.parse(endedAt) - start.getTime()))}`;
}
