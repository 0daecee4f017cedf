import type { Types } from 'mongoose'
import { UserModel } from './user'

/** Staff names by id, for "reviewed by" and "acknowledged by" lines. */
export async function userNames(ids: Array<Types.ObjectId | undefined>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is Types.ObjectId => id !== undefined).map(String))]
  if (wanted.length === 0) return new Map()
  const users = await UserModel.find({ _id: { $in: wanted } })
    .select({ name: 1 })
    .lean()
  return new Map(users.map((user) => [String(user._id), user.name]))
}
