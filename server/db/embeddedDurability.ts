/**
 * How the embedded engine's SQLite commits reach the disk (EMBEDDED_DURABILITY), kept apart from
 * embedded.ts so that the settings do not load the database starter.
 */
export const EMBEDDED_DURABILITIES = ['normal', 'full'] as const
export type EmbeddedDurability = (typeof EMBEDDED_DURABILITIES)[number]
