/**
 * Every failed command reaches the renderer as a `LabError` ({code, message}), whichever
 * transport carried it. This turns anything thrown into that shape once.
 */
import type { LabError } from '../../../engine/src/lab/api.js';

export function toLabError(e: unknown): LabError {
  if (e && typeof e === 'object') {
    const x = e as { code?: unknown; message?: unknown };
    if (typeof x.message === 'string') return { code: typeof x.code === 'string' ? x.code : 'failed', message: x.message };
  }
  return { code: 'failed', message: String(e) };
}

/** A LabError as a real Error (so stack traces and `instanceof Error` work) carrying its code. */
export class LabCommandError extends Error {
  override name = 'LabCommandError';
  constructor(
    readonly code: string,
    message: string,
    readonly command: string,
  ) {
    super(message);
  }
}
