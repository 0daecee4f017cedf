/** A write refused by a unique index (E11000): the atomic "someone else got there first". */
export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: number } | null)?.code === 11000
}
