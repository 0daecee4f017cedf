/**
 * The dashboard's charts in Chromium: each question's target is a line, a hidden point is a gap
 * that is shaded and labelled with its reason (never silently dropped), and the table under each
 * chart has the same numbers. The chart is read back from Chart.js on the page and from the canvas.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import type { User } from '../../server/staff/user'
import { checkPage } from '../helpers/browser'
import { browserSuite, DESKTOP } from '../helpers/browserSuite'
import { addDashboardResponses, addTooFewAnswers } from '../helpers/dashboardResponses'
import { createUser } from '../helpers/factories'

const Q = 'survey=closure-family&period=2020-21-Q4'

interface DrawnChart {
  labels: string[]
  datasets: { label: string; data: (number | null)[]; isTarget: boolean; type?: string }[]
  gapMarks: { index: number; x: number; reasons: string[] }[]
  /** The canvas pixel in the middle of each gap mark, and one beside the chart's first point. */
  gapPixels: number[][]
}

/** Reads a drawn chart back from Chart.js and its canvas. */
async function drawnChart(page: Page, dataId: string): Promise<DrawnChart> {
  await page.locator(`[data-chart="${dataId}"] canvas`).waitFor()
  return page.evaluate((id) => {
    interface ChartLike {
      data: {
        labels: string[]
        datasets: { label: string; data: (number | null)[]; isTarget?: boolean; type?: string }[]
      }
      chartArea: { top: number; bottom: number }
      $gapMarks?: { index: number; x: number; reasons: string[] }[]
    }
    const canvas = document.querySelector(`[data-chart="${id}"] canvas`) as HTMLCanvasElement
    const chart = (
      window as unknown as { Chart: { getChart(c: HTMLCanvasElement): ChartLike } }
    ).Chart.getChart(canvas)
    const context = canvas.getContext('2d')!
    const ratio = canvas.width / canvas.getBoundingClientRect().width
    const middle = (chart.chartArea.top + chart.chartArea.bottom) / 2
    const marks = chart.$gapMarks ?? []
    return {
      labels: chart.data.labels,
      datasets: chart.data.datasets.map((dataset) => ({
        label: dataset.label,
        data: dataset.data,
        isTarget: dataset.isTarget === true,
        ...(dataset.type ? { type: dataset.type } : {}),
      })),
      gapMarks: marks,
      gapPixels: marks.map((mark) =>
        Array.from(
          context.getImageData(Math.round((mark.x + 8) * ratio), Math.round(middle * ratio), 1, 1).data,
        ),
      ),
    }
  }, dataId)
}

/** The table's cells as the chart would plot them: "90% (30)" is 90, anything else a gap. */
async function tableValues(page: Page, tableId: string): Promise<Map<string, (number | null)[]>> {
  const rows = await page.locator(`#${tableId} tbody tr`).all()
  const values = new Map<string, (number | null)[]>()
  for (const row of rows.slice(1)) {
    const question = await row.locator('th').innerText()
    const cells = await row.locator('td').allInnerTexts()
    values.set(
      question,
      cells.map((text) => (/^\d+%/.test(text) ? Number(text.replace(/%.*/s, '')) : null)),
    )
  }
  return values
}

describe('report charts in a browser', () => {
  const suite = browserSuite({ now: '2021-05-10T10:00:00Z' })
  let qaUser: User

  before(async () => {
    // Get Safe, a small team this quarter, is a bar too small to show.
    const { north } = await addDashboardResponses(suite.services)
    // 2020/21 Q1 has three answers: a point too small to show.
    await addTooFewAnswers(suite.services, north, '2020-05-12T10:00:00Z')
    qaUser = await createUser({ role: 'qa', name: 'Quinn Charts', email: 'quinn.charts@council.example' })
  })

  it('draws the targets as lines and each hidden point as a labelled gap, with the table alongside', async () => {
    const { context, page } = await suite.signedIn(qaUser, { viewport: DESKTOP })
    await page.goto(`${suite.baseUrl}/reports?${Q}`)

    const trend = await drawnChart(page, 'trend-chart-data')
    assert.equal(trend.labels.length, 8)
    assert.equal(trend.labels.at(-1), '2020/21 Q4')
    // closure-family's questions have targets of 90% and 85%: one line each, across every quarter.
    const targets = trend.datasets.filter((dataset) => dataset.isTarget)
    assert.deepEqual(
      targets.map((target) => [target.label, target.type, target.data]),
      [
        ['Target: 90%', 'line', Array(8).fill(90)],
        ['Target: 85%', 'line', Array(8).fill(85)],
      ],
    )
    const q1 = trend.labels.indexOf('2020/21 Q1')
    const shareViews = trend.datasets.find((dataset) =>
      dataset.label.startsWith('Did your worker give you chances'),
    )!
    assert.deepEqual(shareViews.data.slice(q1), [null, 90, 90, 90], 'Q1 is a gap, not a point')
    const q1Mark = trend.gapMarks.find((mark) => mark.index === q1)
    assert.ok(q1Mark, 'the Q1 gap is marked')
    assert.ok(q1Mark.reasons.includes('fewer than 5 answers'), q1Mark.reasons.join())
    // Quarters with nobody answering are marked too, with their own reason.
    assert.deepEqual(trend.gapMarks.find((mark) => mark.index === 0)?.reasons, ['no answers'])
    // The mark is on the canvas: shaded, not the white background.
    const pixel = trend.gapPixels[trend.gapMarks.indexOf(q1Mark)]!
    assert.ok(pixel[3]! > 0 && !(pixel[0] === 255 && pixel[1] === 255 && pixel[2] === 255), pixel.join())

    // The table under the chart has exactly the chart's numbers.
    const table = await tableValues(page, 'trend')
    for (const dataset of trend.datasets.filter((d) => !d.isTarget)) {
      assert.deepEqual(table.get(dataset.label), dataset.data, dataset.label)
    }
    const q1Cell = await page
      .locator('#trend tbody tr', { hasText: 'share your views' })
      .locator('td')
      .nth(q1)
    assert.equal(await q1Cell.innerText(), 'fewer than 5')

    // The teams chart: bars, a target line over them, and the small team's gap explained.
    const teams = await drawnChart(page, 'teams-chart-data')
    assert.deepEqual(teams.labels, ['Family Front Door', 'Get Safe', 'Locality North'])
    assert.ok(teams.datasets.some((dataset) => dataset.isTarget && dataset.type === 'line'))
    const getSafe = teams.gapMarks.find((mark) => mark.index === 1)
    assert.ok(getSafe?.reasons.includes('fewer than 5 answers'), JSON.stringify(teams.gapMarks))
    const teamTable = await tableValues(page, 'by-team')
    for (const dataset of teams.datasets.filter((d) => !d.isTarget)) {
      assert.deepEqual(teamTable.get(dataset.label), dataset.data, dataset.label)
    }
    await checkPage(page, 'the dashboard with charts')

    // From a question, the comments given with it (none here), checked with axe too.
    await page
      .getByText('Did your worker give you chances to share your views and opinions?', { exact: true })
      .first()
      .click()
    await page.getByRole('link', { name: 'Read the comments given with these answers' }).first().click()
    await page.waitForURL(/\/reports\/comments\?.*question=share-views/)
    assert.equal(await page.locator('#no-comments').innerText(), 'No comments to show.')
    await checkPage(page, 'the comments given with a question')
    assert.deepEqual(suite.problems, [])
    await context.close()
  })
})
