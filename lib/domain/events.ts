/**
 * Event types written to the Event table (the audit trail and the live-update outbox). The
 * payload is the resource as the API shows it, so a subscriber can apply it without a fetch.
 */
export const EVENT_TYPES = [
  'annotation.created',
  'annotation.updated',
  'annotation.deleted',
  'comment.created',
  'comment.updated',
  'comment.deleted',
  'link.created',
  'link.deleted',
  'suggestion.dismissed',
  'suggestion.restored',
  'document.created',
  'document.renamed',
  'document.deleted',
  'document.restored',
  'revision.created',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
