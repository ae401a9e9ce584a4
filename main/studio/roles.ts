/** The people Studio knows: marketing edits, approvers approve, managers (fleet) and viewers read. */
export { studioRoles as roles, type StudioRole as Role } from '#shared/studio';
