/**
 * The Board report printed by Chromium to A4 (page.pdf, the same print engine as the browser's
 * print menu): the PDF's pages are read back as text. Every page has the council's name, "Page N
 * of M" and the date produced, from CSS margin boxes; the first page is not left half empty; no
 * menu or links are printed; the eight quarters' table is not cut off at the page edge.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { before, describe, it } from 'node:test'
import type { User } from '../../server/staff/user'
import { browserSuite, DESKTOP } from '../helpers/browserSuite'
import { addThirtyAnswers } from '../helpers/dashboardResponses'
import { createTeam, createUser } from '../helpers/factories'
import { pdfImagesPerPage, pdfPages } from '../helpers/pdfText'

const Q = 'survey=closure-family&period=2020-21-Q4'
const A4 = { width: 595, height: 842 } // points

/** A small solid-colour PNG (the council's logo), written by hand: 120 × 40 pixels, RGB. */
function logoPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(120, 0)
  header.writeUInt32BE(40, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(120 * 3, Buffer.from([0, 94, 165]))])
  const pixels = deflateSync(Buffer.concat(Array.from({ length: 40 }, () => row)))
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

describe('the Board report printed to A4', () => {
  const suite = browserSuite({ now: '2021-05-10T10:00:00Z' })
  let qaUser: User

  before(async () => {
    suite.services.config.councilName = 'Northshire "North" Council'
    const teams = [
      await createTeam('Locality North', 'Locality'),
      await createTeam('Locality South', 'Locality'),
      await createTeam('Family Front Door', 'Family Front Door'),
      await createTeam('Through Care', 'Through Care'),
    ]
    const quarters = ['2019-05', '2019-08', '2019-11', '2020-02', '2020-05', '2020-08', '2020-11', '2021-02']
    for (const [index, month] of quarters.entries()) {
      await addThirtyAnswers(suite.services, teams[index % teams.length]!, `${month}-10T10:00:00Z`)
    }
    for (const team of teams) await addThirtyAnswers(suite.services, team, '2021-03-03T10:00:00Z')
    qaUser = await createUser({ role: 'qa', name: 'Quinn Print', email: 'quinn.print@council.example' })
  })

  /** The quarterly report as Chromium prints it to A4, signed in as QA. */
  async function printedReport(): Promise<Buffer> {
    const { context, page } = await suite.signedIn(qaUser, { viewport: DESKTOP })
    await page.goto(`${suite.baseUrl}/reports/quarterly?${Q}`)
    const pdf = await page.pdf({ format: 'A4' })
    await context.close()
    return pdf
  }

  it('prints every page with the council, "Page N of M" and the date, and a full first page', async (context) => {
    const pdf = await printedReport()

    const sizes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [
      Math.round(Number(m[1])),
      Math.round(Number(m[2])),
    ])
    const pages = pdfPages(pdf)
    context.diagnostic(`${pages.length} pages: ${pages.map((text) => text.length).join(', ')} characters`)
    assert.ok(pages.length >= 2, `${pages.length} pages`)
    // A4 is 595.3 × 841.9 points; Chromium rounds the page to whole CSS pixels.
    assert.equal(sizes.length, pages.length)
    for (const [width, height] of sizes) {
      assert.ok(
        Math.abs(width! - A4.width) <= 2 && Math.abs(height! - A4.height) <= 2,
        `${width} × ${height}`,
      )
    }
    pages.forEach((text, index) => {
      const where = `page ${index + 1}: ${text.slice(0, 300)}`
      assert.match(text, /Northshire "North" Council/, where)
      assert.match(text, new RegExp(`Page ${index + 1} of ${pages.length}`), where)
      assert.match(text, /Produced by Family Voice on 10 May 2021/, where)
      assert.doesNotMatch(text, /Sign out|Back to the dashboard|Skip to main content/, where)
    })
    const first = pages[0]!
    assert.match(first, /Case closure: parents and carers, 2020\/21 Q4/)
    assert.match(first, /150 families gave us feedback following closure in 2020\/21 Q4/)
    // No page break after the verdicts: the first page goes on into the trends.
    assert.match(first, /What are we worried about\?[\s\S]*Trends/)
    // Nor is a line or two left alone on the last page.
    const margins = /^.*Council\n.*2021\n/
    assert.ok(pages.at(-1)!.replace(margins, '').length > 150, `last page: ${pages.at(-1)}`)
    const all = pages.join('\n')
    for (const quarter of ['2019/20 Q1', '2019/20 Q4', '2020/21 Q3', '2020/21 Q4']) {
      assert.match(
        all,
        new RegExp(quarter.replace(' ', '\\s+')),
        `${quarter} is printed (the table is not cut off)`,
      )
    }
  })

  it('prints the council logo, when one is set up, at the top of every page', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'fv-logo-')), 'logo.png')
    writeFileSync(file, logoPng())
    suite.services.config.councilLogoFile = file
    try {
      const images = pdfImagesPerPage(await printedReport())
      assert.ok(images.length >= 2, `${images.length} pages`)
      assert.deepEqual(
        images,
        images.map(() => 1),
        'one logo on every page',
      )
    } finally {
      suite.services.config.councilLogoFile = undefined
    }
    // Without it, no image is printed.
    const plain = pdfImagesPerPage(await printedReport())
    assert.deepEqual(
      plain,
      plain.map(() => 0),
    )
  })
})
