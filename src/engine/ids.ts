/**
 * Random ids and file names from the global WebCrypto `crypto`, which Node sets up only when it is
 * first used: importing node:crypto cost every command ~3 ms at start-up (`service ps` too), and
 * most commands never need a random byte.
 */
export const randomHex = (bytes: number): string =>
  Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');

/** A uuid4, as Docker Cloud's service uuids. */
export const randomUUID = (): string => globalThis.crypto.randomUUID();
