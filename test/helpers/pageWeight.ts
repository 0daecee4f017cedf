/**
 * What a first visit to a page costs in Chromium, read from the DevTools protocol: every byte
 * that came over the network (headers and bodies as sent, so compressed where they were, redirects
 * included) and the largest contentful paint. Optionally on Lighthouse's slow-4G profile
 * (150 ms round trip, 1.6 Mbps down, 750 kbps up, CPU 4× slower).
 */
import type { Browser } from 'playwright-core'

export interface PageWeight {
  bytes: number
  /** URL path and bytes of each response, in the order they finished. */
  responses: Array<{ path: string; bytes: number; encoding: string }>
  /** Largest contentful paint, in milliseconds from the start of the navigation. */
  lcpMs: number
  /** Where the time went: the navigation's own timing, in milliseconds from its start. */
  timing: { redirectEnd: number; responseStart: number; responseEnd: number; firstPaint: number }
}

export const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
}

export async function measureFirstVisit(
  browser: Browser,
  url: string,
  options: { throttle?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<PageWeight> {
  // A new context: an empty cache and no cookies, as a family's first visit.
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 360, height: 640 } })
  try {
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false })
    if (options.throttle) {
      await cdp.send('Network.emulateNetworkConditions', SLOW_4G)
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
    }
    const urls = new Map<string, string>()
    const encodings = new Map<string, string>()
    const responses: PageWeight['responses'] = []
    cdp.on('Network.requestWillBeSent', (event) => {
      if (event.redirectResponse) {
        responses.push({
          path: new URL(event.redirectResponse.url).pathname,
          bytes: event.redirectResponse.encodedDataLength,
          encoding: '',
        })
      }
      urls.set(event.requestId, event.request.url)
    })
    cdp.on('Network.responseReceived', (event) => {
      const headers = event.response.headers as Record<string, string>
      const encoding = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-encoding')
      encodings.set(event.requestId, encoding?.[1] ?? '')
    })
    cdp.on('Network.loadingFinished', (event) => {
      const at = urls.get(event.requestId)
      responses.push({
        path: at ? new URL(at).pathname : '?',
        bytes: event.encodedDataLength,
        encoding: encodings.get(event.requestId) ?? '',
      })
    })
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: number }
      w.__lcp = 0
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__lcp = entry.startTime
      }).observe({ type: 'largest-contentful-paint', buffered: true })
    })
    await page.goto(url, { waitUntil: 'load' })
    await page.waitForLoadState('networkidle')
    // LCP is final once the page has been interacted with or hidden; reading it after load is
    // what Lighthouse reports for a page that paints nothing later.
    const lcpMs = await page.evaluate(() => (window as unknown as { __lcp: number }).__lcp)
    const timing = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      const paint = performance.getEntriesByName('first-paint')[0]
      return {
        redirectEnd: Math.round(navigation.redirectEnd),
        responseStart: Math.round(navigation.responseStart),
        responseEnd: Math.round(navigation.responseEnd),
        firstPaint: Math.round(paint?.startTime ?? 0),
      }
    })
    return { bytes: responses.reduce((sum, r) => sum + r.bytes, 0), responses, lcpMs, timing }
  } finally {
    await context.close()
  }
}
