import type { BlockList } from 'node:net';

export const CLIENT_ADDRESS_HEADER: string;
export function normalizeAddress(a: string | undefined | null): string | null;
export function trustedProxies(spec: string | undefined): BlockList;
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: BlockList): string;
export function isTrustedPeer(peer: string | undefined, trusted: BlockList): boolean;
export function requestTarget(url: string | undefined): { ok: true; path: string } | { ok: false; message: string };
export const PRECOMPRESSED_HEADER: string;
export function passPrecompressed(res: { setHeader(name: string, value: unknown): unknown }): void;
