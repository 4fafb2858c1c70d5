/** A path, size or name the user gave that cannot be used: the message says which and what to give instead. */
export class UsageError extends Error {}
