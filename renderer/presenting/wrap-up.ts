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
export function followUpItems(lines: readonly ShownLine[]): { title: string; pages: number[]; shareUrl: string | null }[] {
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
}

/** The draft's subject and body (plain text, what the rep's mail client opens). */
export function followUpDraft({ contact, account, lines }: FollowUpInput): { to: string; subject: string; body: string } {
  const trimmed = contact.trim();
  const email = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(trimmed) ? trimmed : '';
  const name = email ? '' : trimmed.split(/\s+/)[0] ?? '';
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
  return { to: email, subject: account.trim() ? `Following up on our meeting: ${account.trim()}` : 'Following up on our meeting', body };
}

/** A mailto: link (RFC 6068: percent-encoded, CRLF line breaks). */
export function mailtoHref(draft: { to: string; subject: string; body: string }): string {
  const query = `subject=${encodeURIComponent(draft.subject)}&body=${encodeURIComponent(draft.body.replace(/\r?\n/g, '\r\n'))}`;
  return `mailto:${encodeURIComponent(draft.to).replace(/%40/g, '@')}?${query}`;
}
