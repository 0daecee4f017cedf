/**
 * The printed Board report's page margins: the council's name at the top of every page and the
 * date it was produced at the bottom (page numbers are in print.css). CSS margin boxes take only
 * strings, not page content, so this small stylesheet is made for each report; a same-origin
 * stylesheet, so the strict CSP (no inline styles) allows it.
 */

/** A CSS string: quotes and backslashes escaped, control characters (a newline) dropped. */
export function cssString(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ')
  return `"${clean.replace(/[\\"]/g, (char) => `\\${char}`)}"`
}

export function printPageStyles(options: {
  councilName: string
  producedOn: string
  logoUrl?: string
}): string {
  const logo = options.logoUrl
    ? `  @top-right {\n    content: url(${cssString(options.logoUrl)});\n  }\n`
    : ''
  return `@page {
${logo}  @top-left {
    content: ${cssString(options.councilName)};
    font: bold 10pt Arial, sans-serif;
    color: #000;
  }
  @bottom-left {
    content: ${cssString(`Produced by Family Voice on ${options.producedOn}`)};
    font: 9pt Arial, sans-serif;
    color: #000;
  }
}
`
}
