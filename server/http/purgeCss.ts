/**
 * Keeps only the rules of a minified stylesheet that can match pages made of some templates: a
 * selector stays when every class it names is used, and a rule stays when one of its selectors
 * does. Rules without classes (element selectors, `:root`) always stay, as do at-rules other than
 * `@media` and `@supports` (whose insides are purged the same way). Written for GOV.UK
 * Frontend's compiled CSS (no nesting, no braces inside strings).
 */

/** Class-like words in templates and scripts: `govuk-…` and `app-…`, including `govuk-!-…` overrides. */
export function usedClassNames(text: string): Set<string> {
  return new Set(text.match(/\b(?:govuk|app)-[\w!-]+/g) ?? [])
}

/** Splits a selector list at its top-level commas (not those inside `:not(…)` or `:is(…)`). */
function splitSelectors(list: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < list.length; i++) {
    const char = list[i]
    if (char === '(') depth++
    else if (char === ')') depth--
    else if (char === ',' && depth === 0) {
      parts.push(list.slice(start, i))
      start = i + 1
    }
  }
  parts.push(list.slice(start))
  return parts
}

/**
 * Whether a class is used. A word ending in a dash is the start of a class a template completes
 * at run time (`govuk-fieldset__legend--<%= size %>`): every class it begins is kept.
 */
function isUsed(name: string, used: Set<string>, prefixes: string[]): boolean {
  return used.has(name) || prefixes.some((prefix) => name.startsWith(prefix))
}

function selectorMatches(selector: string, used: Set<string>, prefixes: string[]): boolean {
  // A class inside :not(…) only narrows what the selector matches: it need not be used.
  const outside = selector.replace(/:not\([^)]*\)/g, '')
  for (const match of outside.matchAll(/\.((?:[\w-]|\\.)+)/g)) {
    if (!isUsed(match[1]!.replace(/\\(.)/g, '$1'), used, prefixes)) return false
  }
  return true
}

/** The index of the brace that closes the block opening at `open`. */
function closingBrace(css: string, open: number): number {
  let depth = 0
  for (let i = open; i < css.length; i++) {
    if (css[i] === '{') depth++
    else if (css[i] === '}' && --depth === 0) return i
  }
  return css.length - 1
}

export function purgeCss(stylesheet: string, used: Set<string>): string {
  // Comments go first: one before a rule would otherwise be read as part of its selector.
  const css = stylesheet.replace(/\/\*[\s\S]*?\*\//g, '')
  const prefixes = [...used].filter((name) => name.endsWith('-'))
  let out = ''
  let i = 0
  while (i < css.length) {
    const open = css.indexOf('{', i)
    const semicolon = css.indexOf(';', i)
    if (open === -1) break
    // An at-rule without a block (`@charset "UTF-8";`).
    if (css[i] === '@' && semicolon !== -1 && semicolon < open) {
      out += css.slice(i, semicolon + 1)
      i = semicolon + 1
      continue
    }
    const prelude = css.slice(i, open)
    const close = closingBrace(css, open)
    const body = css.slice(open + 1, close)
    if (/^@(media|supports)\b/.test(prelude)) {
      const inner = purgeCss(body, used)
      if (inner) out += `${prelude}{${inner}}`
    } else if (prelude.startsWith('@')) {
      out += `${prelude}{${body}}`
    } else {
      const kept = splitSelectors(prelude).filter((selector) => selectorMatches(selector, used, prefixes))
      if (kept.length) out += `${kept.join(',')}{${body}}`
    }
    i = close + 1
  }
  return out
}
