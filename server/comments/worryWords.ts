/**
 * Finds worry words or phrases (e.g. "hit me", "scared") in free text, so that a possible
 * disclosure of harm reaches a person quickly. Matching is case-insensitive on whole words,
 * and tolerant of extra spaces and curly apostrophes.
 */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export function matchWorryWords(text: string, worryWords: readonly string[]): string[] {
  const haystack = normalise(text)
  return worryWords.filter((phrase) => {
    const pattern = escapeRegExp(normalise(phrase.trim())).replace(/ /g, '\\s+')
    return (
      pattern !== '' && new RegExp(`(^|[^\\p{L}\\p{N}])${pattern}($|[^\\p{L}\\p{N}])`, 'u').test(haystack)
    )
  })
}
