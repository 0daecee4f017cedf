/**
 * `npm run ferretdb:install`: builds the embedded database (FerretDB with our patch) now, instead
 * of on the first `npm start` or `npm test`. Prints where the binary is.
 */
import { installFerretDb } from '../server/db/ferretdbInstall'

try {
  console.log(installFerretDb((line) => console.log(line)))
} catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}
