import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { PROJECT_ROOT } from '../../server/db/ferretdbInstall'
import { test } from 'node:test'
import type { Request } from 'express'
import { z } from 'zod'
import {
  cappedText,
  formText,
  pageNumberWith,
  objectId,
  pageNumber,
  queryText,
  readInput,
  repeatedText,
  routeInput,
  singleText,
  sentOnce,
  sentText,
  ValidationError,
} from '../../server/http/input'
import { HttpError } from '../../server/http/errors'

const Input = routeInput({
  params: { id: objectId },
  query: { page: pageNumber },
  body: {
    name: formText(10, { required: 'Enter a name' }),
    password: formText(20, { trim: false }),
    teams: repeatedText,
  },
})

function request(parts: { params?: object; query?: object; body?: object }): Request {
  return { params: {}, query: {}, body: {}, ...parts } as unknown as Request
}

const ID = '64b7f0c2a1b2c3d4e5f60718'

test('a good request is read into typed values', () => {
  const input = readInput(
    Input,
    request({ params: { id: ID }, body: { name: '  Sam ', password: ' p ', teams: 'a' } }),
  )
  assert.deepEqual(input, {
    params: { id: ID },
    query: { page: 1 },
    body: { name: 'Sam', password: ' p ', teams: ['a'] },
  })
})

test('rules the person broke become summary entries in the schema order, one per field', () => {
  assert.throws(
    () =>
      readInput(
        Input,
        request({ params: { id: ID }, body: { name: 'x'.repeat(11), password: 'y'.repeat(21) } }),
      ),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError)
      assert.equal(error.status, 400)
      assert.deepEqual(error.errors, [
        { href: 'name', text: 'Must be 10 characters or fewer' },
        { href: 'password', text: 'Must be 20 characters or fewer' },
      ])
      return true
    },
  )
  assert.throws(
    () => readInput(Input, request({ params: { id: ID }, body: { name: '   ' } })),
    (error: unknown) => error instanceof ValidationError && error.errors[0]!.text === 'Enter a name',
  )
})

test('a field sent twice is a 400 naming it, a bad path id a 404, a bad page a summary entry', () => {
  assert.throws(
    () => readInput(Input, request({ params: { id: ID }, body: { name: ['a', 'b'] } })),
    (error: unknown) =>
      error instanceof HttpError &&
      !(error instanceof ValidationError) &&
      error.status === 400 &&
      error.message === 'The name field was sent more than once.',
  )
  assert.throws(
    () => readInput(Input, request({ params: { id: ID }, body: { name: { nested: 'a' } } })),
    (error: unknown) => error instanceof HttpError && error.message === 'The name field could not be read.',
  )
  assert.throws(
    () => readInput(Input, request({ params: { id: 'nope' }, body: { name: 'a' } })),
    (error: unknown) => error instanceof HttpError && error.status === 404,
  )
  assert.throws(
    () => readInput(Input, request({ params: { id: ID }, query: { page: '0' }, body: { name: 'a' } })),
    (error: unknown) => error instanceof ValidationError && error.errors[0]!.href === 'page',
  )
})

test('a capped field is read as typed, trimmed and cut, for the form’s own checks to judge', () => {
  const Capped = routeInput({ body: { caseRef: cappedText(5), team: cappedText(5) } })
  assert.deepEqual(readInput(Capped, request({ body: { caseRef: '  ABCDEFG ' } })).body, {
    caseRef: 'ABCDE',
    team: '',
  })
  assert.throws(
    () => readInput(Capped, request({ body: { team: ['a', 'b'] } })),
    (error: unknown) =>
      error instanceof HttpError &&
      !(error instanceof ValidationError) &&
      error.message === 'The team field was sent more than once.',
  )
})

test('singleText tells a repeated value in the route’s words; pageNumberWith words a bad page', () => {
  const Words = routeInput({
    query: {
      team: singleText((name) => `Give ${name} once, as plain text.`),
      page: pageNumberWith('The page must be a number.'),
    },
  })
  assert.deepEqual(readInput(Words, request({})).query, { page: 1 })
  assert.deepEqual(readInput(Words, request({ query: { team: ' a ', page: '2' } })).query, {
    team: ' a ',
    page: 2,
  })
  assert.throws(
    () => readInput(Words, request({ query: { team: ['a', 'b'], page: 'x' } })),
    (error: unknown) =>
      error instanceof ValidationError &&
      error.message === 'Give team once, as plain text. The page must be a number.' &&
      error.errors[0]!.href === 'team',
  )
})

test('readInput words a bad path id as the page asks', () => {
  assert.throws(
    () => readInput(Input, request({ params: { id: 'nope' } }), 'There is no comment at this address.'),
    (error: unknown) =>
      error instanceof HttpError &&
      error.status === 404 &&
      error.message === 'There is no comment at this address.',
  )
})

test('a field read once is "" when missing, as sent when given, and a 400 saying so when sent twice', () => {
  const Once = routeInput({
    query: { done: queryText },
    body: { email: sentText, code: sentOnce(z.string().trim().min(1, 'Enter the code')) },
  })
  assert.deepEqual(readInput(Once, request({ body: { email: ' a@b ', code: ' 1 ' } })), {
    params: {},
    query: { done: '' },
    body: { email: ' a@b ', code: '1' },
  })
  assert.equal(readInput(Once, request({ query: { done: ['a', 'b'] }, body: { code: '1' } })).query.done, '')
  assert.equal(
    readInput(Once, request({ query: { done: 'saved' }, body: { code: '1' } })).query.done,
    'saved',
  )
  assert.throws(
    () => readInput(Once, request({ body: { email: ['a', 'b'], code: '1' } })),
    (error: unknown) =>
      error instanceof HttpError &&
      !(error instanceof ValidationError) &&
      error.status === 400 &&
      error.message === 'The email field was sent more than once.',
  )
  assert.throws(
    () => readInput(Once, request({ body: { code: { nested: '1' } } })),
    (error: unknown) =>
      error instanceof HttpError && error.message === 'The code field was sent more than once.',
  )
  assert.throws(
    () => readInput(Once, request({ body: { code: '  ' } })),
    (error: unknown) =>
      error instanceof ValidationError &&
      JSON.stringify(error.errors) === JSON.stringify([{ href: 'code', text: 'Enter the code' }]),
  )
})

test('routes read a request only through readInput, besides the survey answers and the CSRF token', () => {
  // The answers to a survey are as many fields as its questions: parseAnswers reads them, by the
  // survey's own definition. The CSRF token is csrf-sync's; ?lang is one schema in language.ts.
  const allowed = [
    /readSurveyForm\(survey, req\.body\)/,
    /checkEntryForm\(values, req\.body,/,
    /languageChoice\.parse\(req\.query\?\.lang\)/,
    /\(req\.body as Record<string, unknown> \| undefined\)\?\._csrf/,
  ]
  const root = path.join(PROJECT_ROOT, 'server')
  const offenders: string[] = []
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file === path.join('http', 'input.ts')) continue
    readFileSync(path.join(root, file), 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (/\breq\.(body|query|params)\b/.test(line) && !allowed.some((pattern) => pattern.test(line)))
          offenders.push(`server/${file}:${index + 1}: ${line.trim()}`)
      })
  }
  assert.deepEqual(offenders, [])
})
