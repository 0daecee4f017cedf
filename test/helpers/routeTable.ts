/** Every route the app defines (method and path), read from Express's own router, for tests that walk them all. */
import type { Express } from 'express'

export interface RouteEntry {
  method: string
  path: string
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> }
  handle?: { stack?: Layer[] }
}

function walk(stack: Layer[], found: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]
      for (const path of paths) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') found.push({ method: method.toUpperCase(), path })
        }
      }
    } else if (layer.handle?.stack) {
      // Feature routers are mounted without a prefix (their routes carry full paths).
      walk(layer.handle.stack, found)
    }
  }
}

export function routeTable(app: Express): RouteEntry[] {
  const found: RouteEntry[] = []
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, found)
  return found
}
