/**
 * Importing responses from CSV (telephone and paper answers, historic exports): all or nothing with
 * every bad row listed by line, idempotent on external_id or a hash of the row, London time for
 * dates without an offset, --create-teams and --dry-run.
 */
import assert from 'node:assert/strict'
import { before, beforeEach, describe, it } from 'node:test'
import { CommentModel } from '../../server/comments/comment'
import { importResponses, summaryLine, type ImportOptions } from '../../server/importing/importResponses'
import { ResponseModel } from '../../server/responses/response'
import { TeamModel } from '../../server/teams/team'
import { createTeam } from '../helpers/factories'
import { useTestApp } from '../helpers/hooks'

const HEADER =
  'survey,submitted_at,team,respondent,mode,case_ref,external_id,share-views,child-listened,went-well'

describe('import-responses', () => {
  const t = useTestApp({ now: '2024-06-01T12:00:00Z' })
  const run = (lines: string[], options: ImportOptions = {}) =>
    importResponses(
      lines.join('\n'),
      { surveys: t.services.surveys, clock: t.clock, worryWords: t.services.config.worryWords },
      options,
    )

  before(async () => {
    await createTeam('Through Care', 'Through Care')
    await createTeam('Locality East', 'Locality')
  })
  beforeEach(async () => {
    await ResponseModel.deleteMany({})
    await CommentModel.deleteMany({})
  })

  it('imports valid rows through recordResponse, with London time for dates without an offset', async () => {
    const result = await run([
      HEADER,
      'closure-family,2024-03-31T23:30,Through Care,parent-carer,telephone,LCS-1001,EXT-1,yes,not-applicable,They listened',
      'closure-family,2024-04-01T00:30,Through Care,,,,EXT-2,partly,,',
      'closure-family,2024-03-31T23:30:00Z,Locality East,carer,paper,,,no,yes,',
    ])
    assert.deepEqual(result.problems, [])
    assert.equal(summaryLine(result), 'Imported 3 responses (0 already present)')
    const responses = await ResponseModel.find().sort({ submittedAt: 1 }).lean()
    assert.deepEqual(
      responses.map((r) => [
        r.externalId ?? null,
        r.submittedAt.toISOString(),
        r.period.quarter,
        r.mode,
        r.respondent,
        r.source,
      ]),
      [
        // 23:30 on 31 March 2024 (GMT): the old year. 00:30 on 1 April (BST) is 23:30 UTC on 31 March: the new year.
        ['EXT-1', '2024-03-31T22:30:00.000Z', '2023-24-Q4', 'telephone', 'parent-carer', 'import'],
        ['EXT-2', '2024-03-31T23:30:00.000Z', '2024-25-Q1', 'telephone', 'parent-carer', 'import'],
        [null, '2024-03-31T23:30:00.000Z', '2024-25-Q1', 'paper', 'carer', 'import'],
      ],
    )
    assert.equal(responses[0]!.claimKey, 'import:EXT-1')
    assert.match(responses[2]!.claimKey, /^import:[0-9a-f]{64}$/)
    assert.deepEqual(responses[0]!.answers, [
      { question: 'share-views', answer: 'yes' },
      { question: 'child-listened', answer: 'not-applicable' },
    ])
    assert.equal(responses[0]!.caseRef, 'LCS-1001')
    assert.deepEqual(responses[1]!.answers, [{ question: 'share-views', answer: 'partly' }])
    const comments = await CommentModel.find().lean()
    assert.deepEqual(
      comments.map((c) => [c.question, c.text, c.review.status]),
      [['went-well', 'They listened', 'pending']],
    )
  })

  it('adds nothing when the same file is imported twice', async () => {
    const lines = [
      HEADER,
      'closure-family,2024-02-01T10:00:00Z,Through Care,,,,EXT-9,yes,,',
      'closure-family,2024-02-02T10:00:00+00:00,Locality East,,,,,no,,',
    ]
    assert.equal(summaryLine(await run(lines)), 'Imported 2 responses (0 already present)')
    assert.equal(summaryLine(await run(lines)), 'Imported 0 responses (2 already present)')
    // The same row written differently (another offset for the same instant, columns reordered) is the same row.
    const rewritten = [
      'team,survey,share-views,submitted_at',
      'Locality East,closure-family,no,2024-02-02T11:00:00+01:00',
      'Locality East,closure-family,yes,2024-02-03T10:00:00Z',
    ]
    assert.equal(summaryLine(await run(rewritten)), 'Imported 1 response (1 already present)')
    assert.equal(await ResponseModel.countDocuments(), 3)
  })

  it('writes nothing when any row is invalid, and lists every bad row with its line number', async () => {
    const result = await run([
      HEADER,
      'closure-family,2024-02-01T10:00:00Z,Through Care,,,,A1,yes,,',
      'closure-famly,2024-02-01T10:00:00Z,Through Care,,,,A2,yes,,',
      'closure-family,01/02/2024,Through Care,,,,A3,yes,,',
      'closure-family,2024-02-01T10:00:00Z,Nowhere Team,,,,A4,yes,,',
      '',
      'closure-family,2024-02-01T10:00:00Z,Through Care,grandparent,fax,Bad Ref!,A5,maybe,,',
      'closure-family,2024-02-01T10:00:00Z,Through Care,,,,A1,no,,',
      'closure-family,2024-07-01T10:00:00Z,Through Care,,,,A6,yes,,',
      '"closure-family","2024-02-01T10:00:00Z","Through Care",,,,A7,yes,,"multi',
      'line text"',
      'closure-family,2024-02-01T10:00:00Z,Through Care,,,,A8',
    ])
    assert.equal(result.ok, false)
    assert.deepEqual(result.problems, [
      { line: 3, reason: 'there is no survey called "closure-famly"' },
      {
        line: 4,
        reason:
          'submitted_at "01/02/2024" is not an ISO 8601 date and time, e.g. 2021-01-15T14:30 or 2021-01-15T14:30:00Z',
      },
      { line: 5, reason: 'there is no team called "Nowhere Team" (add --create-teams to create it)' },
      {
        line: 7,
        reason:
          'respondent "grandparent" is not one of parent-carer, child-young-person, professional, carer; mode "fax" is not one of online, telephone, face-to-face, paper; case_ref "Bad Ref!" must be the case-management id: letters, numbers and hyphens, up to 30; "maybe" is not an answer to share-views (use yes, partly, no)',
      },
      { line: 8, reason: 'external_id "A1" is also on line 2' },
      { line: 9, reason: 'submitted_at "2024-07-01T10:00:00Z" is in the future' },
      { line: 12, reason: 'has 7 cells but the header has 10' },
    ])
    assert.equal(await ResponseModel.countDocuments(), 0)

    // The same file without the bad rows: only the unknown team is left.
    const teams = await run([HEADER, 'closure-family,2024-02-01T10:00:00Z,Nowhere Team,,,,B1,yes,,'])
    assert.deepEqual(teams.problems, [
      { line: 2, reason: 'there is no team called "Nowhere Team" (add --create-teams to create it)' },
    ])
    assert.equal(await ResponseModel.countDocuments(), 0)
  })

  it('checks the header and columns', async () => {
    assert.deepEqual((await run(['survey,team,share-views', 'closure-family,Through Care,yes'])).problems, [
      { line: 1, reason: 'the header has no submitted_at column (required: survey, submitted_at, team)' },
    ])
    assert.deepEqual((await run(['survey,submitted_at,team,team', 'x,y,z,w'])).problems, [
      { line: 1, reason: 'the header has "team" more than once' },
    ])
    assert.deepEqual((await run([''])).problems, [
      { line: 1, reason: 'the file is empty: it needs a header row and at least one response' },
    ])
    assert.deepEqual((await run(['survey,submitted_at,team'])).problems, [
      { line: 1, reason: 'there are no responses after the header row' },
    ])
    assert.deepEqual(
      (
        await run([
          'survey,submitted_at,team,colour',
          'closure-family,2024-02-01T10:00:00Z,Through Care,blue',
        ])
      ).problems,
      [{ line: 2, reason: 'column "colour" is not a question of the survey closure-family' }],
    )
    const unclosed = await run([
      'survey,submitted_at,team',
      'closure-family,"2024-02-01T10:00:00Z,Through Care',
    ])
    assert.equal(unclosed.problems.length, 1)
    assert.match(unclosed.problems[0]!.reason, /^the file is not valid CSV: Quote Not Closed/)
  })

  it('checks answers as the survey form does: showIf applies and an answer must be one the question offers', async () => {
    // why-not-heard is asked only when views-heard is partly or no.
    const header = 'survey,submitted_at,team,views-heard,why-not-heard,reach-worker'
    const result = await run([
      header,
      'cla-review-family,2024-02-01T10:00:00Z,Through Care,yes,Nobody asked me,',
      'cla-review-family,2024-02-01T10:00:00Z,Through Care,,Nobody asked me,',
      'cla-review-family,2024-02-01T10:00:00Z,Through Care,No,They talked over me,Often',
      'cla-review-family,2024-02-01T10:00:00Z,Through Care,perhaps,They talked over me,',
    ])
    assert.equal(result.ok, false)
    assert.deepEqual(result.problems, [
      {
        line: 2,
        reason: 'why-not-heard is only asked when views-heard is partly or no, and this row has "yes"',
      },
      {
        line: 3,
        reason:
          'why-not-heard is only asked when views-heard is partly or no, and this row has no answer to views-heard',
      },
      { line: 4, reason: '"Often" is not an answer to reach-worker (use yes, sometimes, no)' },
      // The follow-up is not reported again when the answer it depends on is itself wrong.
      { line: 5, reason: '"perhaps" is not an answer to views-heard (use yes, partly, no)' },
    ])
    assert.equal(await ResponseModel.countDocuments(), 0)

    // The condition met, and answers in another case: stored as the form would store them.
    const good = await run([
      header,
      'cla-review-family,2024-02-01T10:00:00Z,Through Care,No,They talked over me,Sometimes',
    ])
    assert.deepEqual(good.problems, [])
    const response = await ResponseModel.findOne().lean()
    assert.deepEqual(response!.answers, [
      { question: 'views-heard', answer: 'no' },
      { question: 'reach-worker', answer: 'sometimes' },
    ])
    const comments = await CommentModel.find().lean()
    assert.deepEqual(
      comments.map((c) => [c.question, c.text]),
      [['why-not-heard', 'They talked over me']],
    )
  })

  it("accepts a file mixing surveys (with a byte-order mark), skipping other surveys' empty columns", async () => {
    const result = await run([
      '\uFEFFsurvey,submitted_at,team,share-views,review-happy',
      'closure-family,2024-02-01T10:00:00Z,Through Care,yes,',
      'cla-review-young-person,2024-02-01T11:00:00Z,Through Care,,not-sure',
      '',
    ])
    assert.deepEqual(result.problems, [])
    const responses = await ResponseModel.find().sort({ submittedAt: 1 }).lean()
    assert.deepEqual(
      responses.map((r) => [r.surveyId, r.respondent, r.answers]),
      [
        ['closure-family', 'parent-carer', [{ question: 'share-views', answer: 'yes' }]],
        ['cla-review-young-person', 'child-young-person', [{ question: 'review-happy', answer: 'not-sure' }]],
      ],
    )
  })

  it('creates missing teams only with --create-teams, and writes nothing on a dry run', async () => {
    const lines = [
      'survey,submitted_at,team,service,share-views',
      'closure-family,2024-02-01T10:00:00Z,Get Safe North,Get Safe,yes',
      'closure-family,2024-02-01T10:00:00Z,Fostering South,,no',
    ]
    const dry = await run(lines, { createTeams: true, dryRun: true })
    assert.equal(
      summaryLine(dry),
      'Dry run: would import 2 responses (0 already present). Nothing was written.',
    )
    assert.deepEqual(dry.teamsCreated, [
      { name: 'Get Safe North', service: 'Get Safe' },
      { name: 'Fostering South', service: 'Locality' },
    ])
    assert.equal(await TeamModel.countDocuments({ name: { $in: ['Get Safe North', 'Fostering South'] } }), 0)
    assert.equal(await ResponseModel.countDocuments(), 0)

    const real = await run(lines, { createTeams: true })
    assert.equal(summaryLine(real), 'Imported 2 responses (0 already present)')
    const created = await TeamModel.findOne({ name: 'Get Safe North' }).lean()
    assert.equal(created!.service, 'Get Safe')
    const response = await ResponseModel.findOne({ teamName: 'Get Safe North' }).lean()
    assert.equal(String(response!.teamId), String(created!._id))
    assert.equal(response!.service, 'Get Safe')
    const again = await run(lines, { dryRun: true })
    assert.equal(
      summaryLine(again),
      'Dry run: would import 0 responses (2 already present). Nothing was written.',
    )
  })
})
