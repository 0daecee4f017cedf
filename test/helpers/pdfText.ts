/**
 * Reads the text of a PDF made by Chromium (page.pdf()), page by page, with no PDF library: the
 * streams are inflated with zlib, and each font's ToUnicode map turns the glyph codes of the
 * Tj/TJ operators back into characters. Enough for the PDFs Chromium's Skia backend writes
 * (Type0 fonts, Identity-H, FlateDecode); not a general PDF parser.
 */
import { inflateSync } from 'node:zlib'

interface PdfObject {
  dict: string
  stream?: Buffer
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1')
  const found = new Map<number, PdfObject>()
  const pattern = /(\d+) 0 obj\b([\s\S]*?)\bendobj/g
  for (const match of text.matchAll(pattern)) {
    const body = match[2]!
    const streamAt = body.indexOf('stream')
    if (streamAt === -1) {
      found.set(Number(match[1]), { dict: body })
      continue
    }
    const dict = body.slice(0, streamAt)
    let start = streamAt + 'stream'.length
    if (body[start] === '\r') start++
    if (body[start] === '\n') start++
    const end = body.lastIndexOf('endstream')
    let raw = Buffer.from(body.slice(start, end), 'latin1')
    if (/\/FlateDecode/.test(dict)) {
      const length = /\/Length (\d+)/.exec(dict)
      if (length) raw = raw.subarray(0, Number(length[1]))
      raw = inflateSync(raw)
    }
    found.set(Number(match[1]), { dict, stream: raw })
  }
  return found
}

const ref = (dict: string, key: string): number | undefined => {
  const match = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict)
  return match ? Number(match[1]) : undefined
}

/** The page objects in reading order, from the page tree. */
function pageIds(all: Map<number, PdfObject>): number[] {
  const catalog = [...all.values()].find((object) => /\/Type\s*\/Catalog/.test(object.dict))
  const walk = (id: number): number[] => {
    const node = all.get(id)
    if (!node) return []
    if (/\/Type\s*\/Pages/.test(node.dict)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node.dict)?.[1] ?? ''
      return [...kids.matchAll(/(\d+) 0 R/g)].flatMap((kid) => walk(Number(kid[1])))
    }
    return [id]
  }
  const root = catalog ? ref(catalog.dict, 'Pages') : undefined
  return root === undefined ? [] : walk(root)
}

/** Glyph code (hex) to text, from a ToUnicode CMap. */
function toUnicode(cmap: string): Map<string, string> {
  const map = new Map<string, string>()
  const decode = (hex: string) => {
    let out = ''
    for (let i = 0; i < hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16))
    return out
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      map.set(pair[1]!.toLowerCase(), decode(pair[2]!))
    }
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of block[1]!.matchAll(
      /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g,
    )) {
      const from = parseInt(range[1]!, 16)
      const to = parseInt(range[2]!, 16)
      const width = range[1]!.length
      const targets = range[3]!.startsWith('[')
        ? [...range[3]!.matchAll(/<([0-9a-fA-F]+)>/g)].map((m) => m[1]!)
        : undefined
      for (let code = from; code <= to; code++) {
        const key = code.toString(16).padStart(width, '0')
        if (targets) map.set(key, decode(targets[code - from] ?? ''))
        else {
          const base = range[3]!.slice(1, -1)
          const value = (parseInt(base, 16) + (code - from)).toString(16).padStart(base.length, '0')
          map.set(key, decode(value))
        }
      }
    }
  }
  return map
}

/** The text of each page, in order; a new text object or line move starts a new line. */
export function pdfPages(pdf: Buffer): string[] {
  const all = objects(pdf)
  const cmaps = new Map<number, Map<string, string>>()
  const fontMap = (fontId: number): Map<string, string> => {
    let map = cmaps.get(fontId)
    if (!map) {
      const unicodeId = ref(all.get(fontId)?.dict ?? '', 'ToUnicode')
      map = toUnicode(unicodeId === undefined ? '' : (all.get(unicodeId)?.stream?.toString('latin1') ?? ''))
      cmaps.set(fontId, map)
    }
    return map
  }
  return pageIds(all).map((pageId) => {
    const page = all.get(pageId)!
    // Skia writes the font resources inline in the page: /Font <</F4 4 0 R /F5 5 0 R>>.
    const fontRef = /\/Font\s*(\d+) 0 R/.exec(page.dict)
    const fontDict = fontRef
      ? (all.get(Number(fontRef[1]))?.dict ?? '')
      : (/\/Font\s*<<([^>]*)>>/.exec(page.dict)?.[1] ?? '')
    const fonts = new Map([...fontDict.matchAll(/\/(\w+)\s+(\d+) 0 R/g)].map((m) => [m[1]!, Number(m[2])]))
    const contentIds = [
      ...(/\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(page.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g),
    ].map((m) => Number(m[1]))
    const content = contentIds.map((id) => all.get(id)?.stream?.toString('latin1') ?? '').join('\n')
    let font = new Map<string, string>()
    let out = ''
    const show = (hex: string) => {
      const width = 4
      for (let i = 0; i + width <= hex.length; i += width)
        out += font.get(hex.slice(i, i + width).toLowerCase()) ?? ''
    }
    // Chromium writes each run in its own BT … Tm … ET, often glyph by glyph with "tx 0 Td": a
    // run on the same baseline as the last continues the line ("Page " "2" " of " "4"), one on
    // another baseline starts a new line.
    let baseline: string | undefined
    const tokens =
      /\/(\w+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj|\[((?:[^\]])*)\]\s*TJ|(?:[-\d.]+\s+){5}([-\d.]+)\s+Tm|[-\d.]+\s+([-\d.]+)\s+T[dD]\b|\bT\*/g
    for (const token of content.matchAll(tokens)) {
      if (token[1]) font = fontMap(fonts.get(token[1]) ?? -1)
      else if (token[2] !== undefined) show(token[2])
      else if (token[3] !== undefined) {
        for (const part of token[3].matchAll(/<([0-9a-fA-F]*)>|(-?[\d.]+)/g)) {
          if (part[1] !== undefined) show(part[1])
          else if (Number(part[2]) < -200) out += ' '
        }
      } else if (token[4] !== undefined) {
        if (baseline !== undefined && token[4] !== baseline) out += '\n'
        baseline = token[4]
      } else if (token[5] !== undefined) {
        // Glyph by glyph along the line (tx 0 Td); a move down is a new line.
        if (Number(token[5]) !== 0) out += '\n'
      } else out += '\n'
    }
    return out
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{2,}/g, '\n')
      .trim()
  })
}

/** How many images each page draws (image XObjects, directly or inside a form XObject). */
export function pdfImagesPerPage(pdf: Buffer): number[] {
  const all = objects(pdf)
  const xObjects = (dict: string): Map<string, number> => {
    const resourcesRef = /\/Resources\s+(\d+) 0 R/.exec(dict)
    const resources = resourcesRef ? (all.get(Number(resourcesRef[1]))?.dict ?? '') : dict
    const inline = /\/XObject\s*<<([^>]*)>>/.exec(resources)?.[1]
    const ref = /\/XObject\s+(\d+) 0 R/.exec(resources)
    const names = inline ?? (ref ? (all.get(Number(ref[1]))?.dict ?? '') : '')
    return new Map([...names.matchAll(/\/(\w+)\s+(\d+) 0 R/g)].map((m) => [m[1]!, Number(m[2])]))
  }
  const imagesDrawn = (dict: string, content: string, depth: number): number => {
    const named = xObjects(dict)
    let count = 0
    for (const [, name] of content.matchAll(/\/(\w+)\s+Do\b/g)) {
      const target = all.get(named.get(name!) ?? -1)
      if (!target) continue
      if (/\/Subtype\s*\/Image/.test(target.dict)) count++
      else if (depth < 3 && /\/Subtype\s*\/Form/.test(target.dict))
        count += imagesDrawn(target.dict, target.stream?.toString('latin1') ?? '', depth + 1)
    }
    return count
  }
  return pageIds(all).map((pageId) => {
    const page = all.get(pageId)!
    const contentIds = [
      ...(/\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(page.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g),
    ].map((m) => Number(m[1]))
    const content = contentIds.map((id) => all.get(id)?.stream?.toString('latin1') ?? '').join('\n')
    return imagesDrawn(page.dict, content, 0)
  })
}
