/**
 * A family's first visit to a survey link on a cheap phone, measured in Chromium on Lighthouse's
 * slow-4G profile (150 ms RTT, 1.6 Mbps down, 750 kbps up, 4× CPU): bytes transferred and largest
 * contentful paint, for the parent/carer and the child's closure surveys, median of 5 visits.
 * Run by hand: `node --import tsx scripts/bench/familyPage.ts` (starts its own database and app).
 */
import { issueInvitation, createTeam } from '../../test/helpers/factories'
import { launchBrowser, serve } from '../../test/helpers/browser'
import { measureFirstVisit } from '../../test/helpers/pageWeight'
import { startTestApp } from '../../test/helpers/testApp'

const RUNS = Number(process.env.RUNS ?? 5)

async function main() {
  const t = await startTestApp()
  const served = await serve(t.app)
  const browser = await launchBrowser()
  try {
    const team = await createTeam('Locality North', 'Locality')
    for (const surveyId of ['closure-family', 'closure-young-person']) {
      const bytes: number[] = []
      const lcp: number[] = []
      for (let run = 0; run < RUNS; run++) {
        const { token } = await issueInvitation(t.services, team, { surveyId })
        const weight = await measureFirstVisit(browser, `${served.baseUrl}/s/${token}`, { throttle: true })
        bytes.push(weight.bytes)
        lcp.push(weight.lcpMs)
        if (run === 0) {
          console.log(`  timing ${JSON.stringify(weight.timing)}`)
          for (const response of weight.responses)
            console.log(`  ${response.path} ${response.bytes} B ${response.encoding}`)
        }
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
      console.log(
        `${surveyId}: ${(median(bytes) / 1024).toFixed(1)} KB transferred, LCP ${Math.round(median(lcp))} ms (median of ${RUNS})`,
      )
    }
  } finally {
    await browser.close()
    await served.close()
    await t.close()
  }
}

void main()
