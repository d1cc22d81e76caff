import 'server-only';
import { authorizeRole, type Actor } from '@/lib/domain/policy';

/**
 * The services' pre-checks: for the writes whose permission the role alone decides, a route asks
 * here before it parses the path, the query or the body, so a viewer posting a malformed body to
 * an admin route gets 403, not 400 with schema details (and not 404 for an unknown id either).
 * Each is the same policy check its service makes again when it writes.
 */
export const precheck = {
  createDocument: (actor: Actor) => authorizeRole(actor, 'document.create'),
  reviseDocument: (actor: Actor) => authorizeRole(actor, 'document.revise'),
  manageDocument: (actor: Actor) => authorizeRole(actor, 'document.manage'),
  createAnnotation: (actor: Actor) => authorizeRole(actor, 'annotation.create'),
  dismissSuggestion: (actor: Actor) => authorizeRole(actor, 'suggestion.dismiss'),
  manageUsers: (actor: Actor) => authorizeRole(actor, 'user.manage'),
};
