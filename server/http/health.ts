import { Router } from 'express'
import { pingDatabase } from '../db/connect'

export function healthRoutes(): Router {
  const router = Router()
  router.get('/healthz', async (_req, res) => {
    const database = await pingDatabase()
    res
      .status(database ? 200 : 503)
      .json({ status: database ? 'ok' : 'unavailable', database: database ? 'up' : 'down' })
  })
  return router
}
