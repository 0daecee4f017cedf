/**
 * A small structural check of a JSON value against the JSON Schema subset our OpenAPI document
 * uses: type (one or a list, with integer), required, properties, additionalProperties: false,
 * items, enum, minimum, maximum, minLength, and local $refs. Returns every problem with its path,
 * so a test failure says exactly which field drifted from the document.
 */
type Schema = Record<string, unknown>

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref
  if (typeof ref !== 'string') return schema
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`)
  let target: unknown = root
  for (const part of ref.slice(2).split('/')) target = (target as Record<string, unknown>)[part]
  if (!target || typeof target !== 'object') throw new Error(`$ref ${ref} points nowhere`)
  return resolve(target as Schema, root)
}

export function schemaProblems(value: unknown, schema: Schema, root: Schema, path = '$'): string[] {
  const s = resolve(schema, root)
  const problems: string[] = []
  const actual = typeOf(value)
  if (s.type !== undefined) {
    const allowed = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string]
    const matches = allowed.includes(actual) || (actual === 'integer' && allowed.includes('number'))
    if (!matches) return [`${path}: expected ${allowed.join(' or ')}, got ${actual}`]
  }
  if (Array.isArray(s.enum) && !s.enum.includes(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`)
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) problems.push(`${path}: below ${s.minimum}`)
    if (typeof s.maximum === 'number' && value > s.maximum) problems.push(`${path}: above ${s.maximum}`)
  }
  if (typeof value === 'string' && typeof s.minLength === 'number' && value.length < s.minLength) {
    problems.push(`${path}: shorter than ${s.minLength}`)
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>
    const properties = (s.properties ?? {}) as Record<string, Schema>
    for (const name of (s.required ?? []) as string[]) {
      if (!Object.hasOwn(object, name)) problems.push(`${path}.${name}: required but missing`)
    }
    for (const [name, field] of Object.entries(object)) {
      if (properties[name]) problems.push(...schemaProblems(field, properties[name], root, `${path}.${name}`))
      else if (s.additionalProperties === false) problems.push(`${path}.${name}: not in the schema`)
    }
  }
  if (actual === 'array' && s.items) {
    ;(value as unknown[]).forEach((item, index) =>
      problems.push(...schemaProblems(item, s.items as Schema, root, `${path}[${index}]`)),
    )
  }
  return problems
}
