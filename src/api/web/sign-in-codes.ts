/**
 * The one-time codes of the web page's sign-in links. A link lands in the browser's history, so it
 * must not carry anything that lasts: its code signs in once, within CODE_TTL_MS, and is worth
 * nothing after. Codes are minted by whoever holds the token (`svc serve` on its terminal,
 * `svc serve --print-url` over the API), and die with the token they were minted under.
 */
import { createHash } from 'node:crypto';
import { randomHex } from '../../engine/ids.js';

export const CODE_TTL_MS = 5 * 60 * 1000;
/** A bound on memory, whoever keeps asking. */
const MAX_CODES = 100;

export interface SignInCodes {
  /** A new code, and how long it lives. */
  mint(): { code: string; expiresInMs: number };
  /** Whether `code` is a live code; it is used up either way. */
  redeem(code: string): boolean;
  /** Every code dies (the token changed). */
  clear(): void;
}

/** Kept by their hash: the lookup's timing says nothing about the codes themselves. */
const digest = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');

export const createSignInCodes = (now: () => number = Date.now): SignInCodes => {
  const codes = new Map<string, number>();
  return {
    mint() {
      for (const [key, expires] of codes) if (expires <= now()) codes.delete(key);
      if (codes.size >= MAX_CODES) codes.delete(codes.keys().next().value!);
      const code = randomHex(32);
      codes.set(digest(code), now() + CODE_TTL_MS);
      return { code, expiresInMs: CODE_TTL_MS };
    },
    redeem(code) {
      const key = digest(code);
      const expires = codes.get(key);
      codes.delete(key);
      return expires !== undefined && expires > now();
    },
    clear() {
      codes.clear();
    },
  };
};
