import { describe, expect, it } from 'vitest';
import { openFilesLimit, streamCeiling, RESERVED_DESCRIPTORS } from './stream-limit';

const limits = (soft: string, hard: string) => `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            ${soft.padEnd(20)} ${hard.padEnd(20)} files
Max locked memory         8388608              8388608              bytes
`;

describe('the streams a process can hold', () => {
  it('reads the soft limit on open files', () => {
    expect(openFilesLimit(limits('1024', '524288'))).toBe(1024);
    expect(openFilesLimit(limits('unlimited', 'unlimited'))).toBeNull();
    expect(openFilesLimit('')).toBeNull();
  });

  it('keeps the configured bound when descriptors are plentiful', () => {
    expect(streamCeiling(5000, 20_000)).toBe(5000);
    expect(streamCeiling(5000, null)).toBe(5000);
  });

  it('lowers it below the open-files limit, keeping descriptors for the database and everything else', () => {
    // `ulimit -n 1024`, a common default: 5,000 streams would run out of sockets near 1,000 and
    // then every accept and database connection fails (EMFILE), not just the extra streams.
    expect(streamCeiling(5000, 1024)).toBe(1024 - RESERVED_DESCRIPTORS);
    expect(streamCeiling(5000, 10)).toBe(1);
  });
});
