import type { ApiComment } from '../api-types';

/** A live comment as the exports read it: its sanitised HTML and its plain text. */
export type ExportComment = Pick<ApiComment, 'id' | 'parentId' | 'author' | 'html' | 'createdAt' | 'editedAt'> & { text: string };
