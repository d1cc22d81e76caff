/**
 * The one access policy. Every service function asks `can`/`authorize` before it reads or writes;
 * route handlers never decide access themselves.
 *
 * Roles: viewers read and comment; analysts also highlight, tag and resolve; admins also manage
 * documents and users and moderate (delete anyone's annotation or comment). Only authors edit
 * their own comments and change their own highlight's tag. A highlight's tradecraft judgment
 * (likelihood, confidence, source and grade, needs-source) is its author's or an admin's to change,
 * and so is replacing a highlight through the Web Annotation Protocol (PUT, which then follows
 * the same rules field by field);
 * its outcome goes with resolving. Links are made by analysts and removed by their maker or an admin.
 * Estimative-language suggestions are dismissed (and restored) for the whole team by whoever may
 * highlight. Every member may look up the team by name to mention someone (only admins see
 * emails) and reads and marks only their own notifications.
 *
 * Readability is decided before this is asked: a resource the actor may not read is reported as
 * 404 by the service, one it may read but not change as 403 (the `forbidden` of authorize).
 */
import { forbidden } from './errors';
import type { Role } from './tags';

export interface Actor {
  id: string;
  role: Role;
}

export type Action =
  | 'document.read'
  | 'document.create'
  | 'document.revise'
  | 'document.manage'
  | 'annotation.create'
  | 'annotation.retag'
  | 'annotation.resolve'
  | 'annotation.delete'
  | 'annotation.reattach'
  | 'annotation.judge'
  | 'annotation.replace'
  | 'link.create'
  | 'link.delete'
  | 'suggestion.dismiss'
  | 'comment.create'
  | 'comment.edit'
  | 'comment.delete'
  | 'notification.read'
  | 'user.lookup'
  | 'user.manage';

/** The owner of the resource an action applies to, when it has one. */
export interface Owned {
  authorId: string;
}

const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };
const atLeast = (actor: Actor, role: Role) => RANK[actor.role] >= RANK[role];
const owns = (actor: Actor, resource?: Owned) => resource !== undefined && resource.authorId === actor.id;

export function can(actor: Actor, action: Action, resource?: Owned): boolean {
  switch (action) {
    case 'document.read':
    case 'comment.create':
    case 'notification.read':
    case 'user.lookup':
      return atLeast(actor, 'viewer');
    case 'annotation.create':
    case 'annotation.resolve':
    case 'link.create':
    case 'suggestion.dismiss':
      return atLeast(actor, 'analyst');
    case 'annotation.judge':
    case 'annotation.replace':
      return (atLeast(actor, 'analyst') && owns(actor, resource)) || atLeast(actor, 'admin');
    case 'annotation.retag':
      return atLeast(actor, 'analyst') && owns(actor, resource);
    case 'comment.edit':
      return owns(actor, resource);
    case 'annotation.delete':
    case 'annotation.reattach':
    case 'link.delete':
    case 'comment.delete':
      return owns(actor, resource) || atLeast(actor, 'admin');
    case 'document.create':
    case 'document.revise':
    case 'document.manage':
    case 'user.manage':
      return atLeast(actor, 'admin');
  }
}

const MESSAGES: Record<Action, string> = {
  'document.read': 'You may not read this document',
  'document.create': 'Only admins can add documents',
  'document.revise': 'Only admins can revise documents',
  'document.manage': 'Only admins can rename, delete or restore documents',
  'annotation.create': 'Viewers cannot highlight; ask an admin for the analyst role',
  'annotation.retag': 'Only the author of a highlight can change its tag',
  'annotation.resolve': 'Viewers cannot resolve or reopen threads',
  'annotation.delete': 'Only the author of a highlight or an admin can delete it',
  'annotation.reattach': 'Only the author of a highlight or an admin can re-attach it',
  'annotation.judge': 'Only the author of a highlight or an admin can change its likelihood, confidence, source, grade or needs-source mark',
  'annotation.replace': 'Only the author of a highlight or an admin can replace it',
  'link.create': 'Viewers cannot link highlights; ask an admin for the analyst role',
  'link.delete': 'Only whoever made a link or an admin can remove it',
  'suggestion.dismiss': 'Viewers cannot dismiss or restore suggestions; ask an admin for the analyst role',
  'comment.create': 'You may not comment here',
  'comment.edit': 'Only the author of a comment can edit it',
  'comment.delete': 'Only the author of a comment or an admin can delete it',
  'notification.read': 'You may read only your own notifications',
  'user.lookup': 'You may not look up team members',
  'user.manage': 'Only admins can manage users',
};

export function authorize(actor: Actor, action: Action, resource?: Owned): void {
  if (!can(actor, action, resource)) throw forbidden(MESSAGES[action]);
}

/**
 * Actions the role alone decides (no resource, no owner). Routes check these before they read
 * the body or look anything up (through the services' pre-checks, lib/server/prechecks.ts), so a
 * viewer posting to an admin route gets 403 whatever the body or id, never 400 or 404.
 */
export const ROLE_ONLY_ACTIONS = ['document.create', 'document.revise', 'document.manage', 'annotation.create', 'link.create', 'suggestion.dismiss', 'user.manage'] as const satisfies readonly Action[];
export type RoleOnlyAction = (typeof ROLE_ONLY_ACTIONS)[number];

/** `authorize` for an action the role alone decides. */
export function authorizeRole(actor: Actor, action: RoleOnlyAction): void {
  authorize(actor, action);
}
