/** A JSON or TOML object with string keys: not null, not an array. Pure. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
