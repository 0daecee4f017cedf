import type { mongo } from 'mongoose'

/**
 * Deletes every document matching `filter`, a batch of ids at a time. On the embedded engine a
 * delete holds its collection's write lock from read to write, so one deleteMany over years of
 * records would stall every write to that collection; a batch deleted by _id (an index seek)
 * holds it briefly. Safe with several app processes: a document another process deleted first is
 * simply not counted here.
 */
export async function deleteInBatches(
  collection: Pick<mongo.Collection, 'find' | 'deleteMany'>,
  filter: mongo.Filter<mongo.Document>,
  batchSize = 500,
): Promise<number> {
  let deleted = 0
  for (;;) {
    const batch = await collection
      .find(filter, { projection: { _id: 1 } })
      .limit(batchSize)
      .toArray()
    if (batch.length === 0) return deleted
    const result = await collection.deleteMany({ ...filter, _id: { $in: batch.map((doc) => doc._id) } })
    deleted += result.deletedCount
    if (batch.length < batchSize) return deleted
  }
}
