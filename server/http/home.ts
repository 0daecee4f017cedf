import { Router } from 'express'
import type { Services } from '../app'

export function homeRoutes(_services: Services): Router {
  const router = Router()
  router.get('/', (_req, res) => {
    res.render('home/index', { title: 'Home' })
  })
  return router
}
