export const OUT: string;
export function earlyPaintModule(): Promise<string>;
export function writeEarlyPaint(): Promise<boolean>;
