import mongoose from 'mongoose'

export { DEFAULT_DB_NAME } from './databaseName'

/** Connects to `dbName` on the server at `uri` (config.databaseName: the one the URI names). */
export async function connectDatabase(uri: string, dbName: string): Promise<void> {
  mongoose.set('strictQuery', true)
  await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 10_000, autoIndex: false })
  // Build every index before serving: the unique indexes are what make links single-use.
  for (const model of Object.values(mongoose.models)) await model.createIndexes()
}

export async function pingDatabase(): Promise<boolean> {
  try {
    const db = mongoose.connection.db
    if (!db) return false
    await db.admin().command({ ping: 1 })
    return true
  } catch {
    return false
  }
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect()
}
