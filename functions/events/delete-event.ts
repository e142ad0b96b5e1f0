import { notYetImplemented } from '#shared/kernel/endpoint';

// NOT_IMPLEMENTED: written by its issue.
export const handler = notYetImplemented();
