import type { Request } from 'express'
import type { Types } from 'mongoose'
import type { Clock } from '../clock'
import { HttpError } from '../http/errors'
import { recordAudit, type AuditAction } from './auditEvent'

/** Who is making a change, for the audit trail: a signed-in member of staff, or the command line. */
export interface Actor {
  userId?: Types.ObjectId
  label: string
  ip?: string
}

/** Records a change and who made it, from where. */
export async function recordActorAudit(
  clock: Clock,
  actor: Actor,
  action: AuditAction,
  target: string,
  detail?: string,
): Promise<void> {
  await recordAudit(clock.now(), {
    userId: actor.userId,
    actorLabel: actor.label,
    action,
    target,
    ...(detail ? { detail } : {}),
    ...(actor.ip ? { ip: actor.ip } : {}),
  })
}

/** Records what the signed-in staff member did on this request: who, to what, and from where. */
export async function recordStaffAudit(
  services: { clock: Clock },
  req: Request,
  action: AuditAction,
  target: string,
  detail?: string,
): Promise<void> {
  const user = req.staffUser
  if (!user) throw new HttpError(401, 'Sign in to continue.')
  await recordActorAudit(
    services.clock,
    { userId: user.id, label: user.email, ...(req.ip ? { ip: req.ip } : {}) },
    action,
    target,
    detail,
  )
}
