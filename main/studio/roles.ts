/** The people Studio knows: marketing edits, approvers approve, managers (fleet) and viewers read. */
export const roles = ['admin', 'editor', 'approver', 'manager', 'viewer'] as const;
export type Role = (typeof roles)[number];
