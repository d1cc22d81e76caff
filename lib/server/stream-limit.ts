import 'server-only';
import { readFileSync } from 'node:fs';

/**
 * Every live stream holds a socket, and a socket is a file descriptor. A process whose
 * descriptors run out fails every `accept` and every new database connection (EMFILE), not just
 * the stream that asked for one too many, so the streams a process admits (STREAMS_PER_PROCESS,
 * event-hub.ts) stay below its open-files limit (`ulimit -n`), leaving RESERVED_DESCRIPTORS for
 * the database pools, the LISTEN connection, ordinary requests and files. Raise `ulimit -n` to
 * hold more streams (2,000 readers over two processes need about 1,000 each, above the common
 * default of 1,024).
 */
export const RESERVED_DESCRIPTORS = 256;

/** The soft limit on open files from /proc/self/limits' text (Linux); null when unknown or unlimited. */
export function openFilesLimit(limits: string): number | null {
  const m = /^Max open files\s+(\d+)\s/m.exec(limits);
  return m ? Number(m[1]) : null;
}

export function streamCeiling(configured: number, openFiles: number | null): number {
  if (openFiles === null) return configured;
  return Math.max(1, Math.min(configured, openFiles - RESERVED_DESCRIPTORS));
}

let own: number | null | undefined;
/** This process's open-files limit, read once. */
export function ownOpenFilesLimit(): number | null {
  if (own === undefined) {
    try {
      own = openFilesLimit(readFileSync('/proc/self/limits', 'utf8'));
    } catch {
      own = null;
    }
  }
  return own;
}
