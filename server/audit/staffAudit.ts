import type { Request } from 'express'
import type { Clock } from '../clock'
import { HttpError } from '../http/errors'
import { recordAudit, type AuditAction } from './auditEvent'

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
  await recordAudit(services.clock.now(), {
    userId: user.id,
    actorLabel: user.email,
    action,
    target,
    ...(detail ? { detail } : {}),
    ...(req.ip ? { ip: req.ip } : {}),
  })
}
