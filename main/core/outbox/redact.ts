/**
 * An endpoint's refusal may repeat what it was sent ("Duplicate lead: ana@example.com"). What the
 * outbox keeps of a failure (the row's last error, the health record, the log) and what the
 * Uploads card shows must not carry a visitor's personal data into the database, its WAL, the
 * host log or the next visitor's screen. So before a message is kept, every text value of the
 * records in the batch is cut out of it, and so is anything shaped like an e-mail address or a
 * phone number, whatever the endpoint made of the values (case, quoting).
 */
const email = /[^\s@"'<>()[\],;:]+@[^\s@"'<>()[\],;:]+\.[^\s@"'<>()[\],;:]+/g;
const phone = /\+?\d[\d ().-]{6,}\d/g;
export const REDACTED = '[personal data removed]';

/** Every text in a record (nested too), longest first so a value never leaves a part of itself. */
function textsOf(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') {
    const text = value.trim();
    // One or two characters ("A", "UK") are too common to cut without mangling the message.
    if (text.length >= 3) into.add(text);
  } else if (Array.isArray(value)) {
    for (const item of value) textsOf(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) textsOf(item, into);
  }
  return into;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function withoutPersonalData(message: string, payloads: readonly unknown[]): string {
  const texts = [...textsOf(payloads, new Set())].sort((a, b) => b.length - a.length);
  let out = message;
  for (const text of texts) out = out.replace(new RegExp(escape(text), 'gi'), REDACTED);
  return out.replace(email, REDACTED).replace(phone, (match) => {
    // Seven digits or more make a phone number; a date or a time is left as it is.
    const digits = match.replace(/\D/g, '').length;
    return digits >= 7 && !/^\d{4}-\d{2}-\d{2}/.test(match) ? REDACTED : match;
  });
}
