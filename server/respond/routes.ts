import { Router } from 'express'
import type { Services } from '../app'

export function respondRoutes(_services: Services): Router {
  return Router()
}
