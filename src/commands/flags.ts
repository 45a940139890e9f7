/**
 * A command's flags as the commander program declares them. Each flag is a required key whose value
 * may be undefined, so a flag the program stops declaring (renamed, removed, parsed into another
 * type) is a compile error where the command is called, not a flag that silently does nothing.
 */
export type Flags<T> = { [K in keyof Required<T>]: T[K] | undefined };
