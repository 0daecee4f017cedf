/** What a family's browser meets once their answers are sent, checked the same way wherever it matters. */
import assert from 'node:assert/strict'
import { ResponseModel } from '../../server/responses/response'
import { visibleText } from './http'
import { formBody, postSurvey, type Agent } from './respond'

/**
 * Back leads to the thank-you page, and so does sending again (Back, then Send: every POST answers
 * 303), with nothing more stored for the invitation.
 */
export async function assertBackAndResendThankYou(agent: Agent, csrf: string, invitationId: string) {
  const back = await agent.get('/survey').expect(303)
  assert.equal(back.headers.location, '/survey/thank-you')
  const again = await postSurvey(agent, formBody({ _csrf: csrf, 'q-share-views': 'no' })).expect(303)
  assert.equal(again.headers.location, '/survey/thank-you')
  assert.match(
    visibleText(await agent.get('/survey/thank-you').expect(200)),
    /Thank you Your answers have been sent/,
  )
  assert.equal(await ResponseModel.countDocuments({ invitationId }), 1)
}
