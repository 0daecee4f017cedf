/**
 * Which database the app and the CLI use: the one a MONGODB_URI names in its path
 * (`mongodb://host/NAME`), else `family-voice`. Two deployments sharing one cluster keep their data
 * apart by naming their databases. Plain string parsing, because a replica set's URI lists several
 * hosts (`mongodb://a:27017,b:27017/NAME?replicaSet=rs`), which the WHATWG URL parser refuses.
 */

export const DEFAULT_DB_NAME = 'family-voice'

const CONNECTION_STRING = /^mongodb(\+srv)?:\/\/([^/?#]*)(?:\/([^?#]*))?(?:\?[^#]*)?$/

/** Characters MongoDB refuses in a database name, and its length limit in bytes. */
const FORBIDDEN_IN_NAME = /[/\\. "$\0]/
const MAX_NAME_BYTES = 63

export interface ParsedConnectionString {
  /** The database named in the path, decoded; undefined when the path is empty. */
  databaseName: string | undefined
}

/** Parses a MongoDB connection string, or returns why it is not one (one sentence, naming MONGODB_URI). */
export function parseConnectionString(uri: string): ParsedConnectionString | { problem: string } {
  if (!/^mongodb(\+srv)?:\/\//.test(uri)) {
    return { problem: 'MONGODB_URI must start with mongodb:// or mongodb+srv://' }
  }
  const match = CONNECTION_STRING.exec(uri)
  const hosts = match?.[2]?.slice(match[2].lastIndexOf('@') + 1) ?? ''
  if (!match || hosts === '' || hosts.split(',').some((host) => host === '')) {
    return { problem: 'MONGODB_URI is not a valid MongoDB connection string (mongodb://host/NAME)' }
  }
  let name: string
  try {
    name = decodeURIComponent(match[3] ?? '')
  } catch {
    return { problem: 'MONGODB_URI names its database with a broken %-escape' }
  }
  if (name === '') return { databaseName: undefined }
  if (FORBIDDEN_IN_NAME.test(name) || Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    return {
      problem: `MONGODB_URI names the database "${name}", which MongoDB does not allow (no / \\ . " $ or spaces, up to ${MAX_NAME_BYTES} characters)`,
    }
  }
  return { databaseName: name }
}

/** The database to use for a (valid) MONGODB_URI, or for the embedded database when it is unset. */
export function databaseNameFor(uri: string | undefined): string {
  if (uri === undefined) return DEFAULT_DB_NAME
  const parsed = parseConnectionString(uri)
  return ('databaseName' in parsed && parsed.databaseName) || DEFAULT_DB_NAME
}
