/**
 * A possible disclosure of harm must reach a person quickly. When free text matches the worry
 * list, the team's duty address (or SAFEGUARDING_EMAIL) gets an email pointing at the item in
 * "Needs attention". The email never carries the text itself: mail leaves our systems, and the
 * text may name a child.
 */
import type { Services } from '../app'
import type { Comment } from '../comments/comment'
import { TeamModel } from '../teams/team'
import { londonDateTime, surveyTitle } from './format'

export type SafeguardingDeps = Pick<Services, 'config' | 'surveys' | 'mail'>

export function attentionLink(baseUrl: string, commentId: Comment['_id'] | string): string {
  return `${baseUrl}/feedback/attention/${String(commentId)}`
}

/**
 * Queues the alert. Never throws: the response is already stored and the flag shows in "Needs
 * attention" whatever happens to the email, so a failure is logged rather than shown to the family.
 */
export async function notifySafeguardingFlag(deps: SafeguardingDeps, comment: Comment): Promise<void> {
  try {
    const team = await TeamModel.findById(comment.teamId).select({ dutyEmail: 1 }).lean()
    const to = team?.dutyEmail?.trim() || deps.config.safeguardingEmail
    if (!to) {
      console.error(
        `[safeguarding] comment ${String(comment._id)} was flagged but team ${String(comment.teamId)} ` +
          'has no duty email and SAFEGUARDING_EMAIL is not set; it is waiting in Needs attention.',
      )
      return
    }
    const title = surveyTitle(deps.surveys, comment.surveyId)
    const link = attentionLink(deps.config.baseUrl, comment._id)
    await deps.mail.enqueue({
      to,
      purpose: 'safeguarding',
      subject: `Family Voice: a response for ${comment.teamName} may need attention`,
      text: [
        `A response to "${title}" for ${comment.teamName} may need attention.`,
        '',
        `It was given on ${londonDateTime(comment.submittedAt)} and contains words on the safeguarding worry list.`,
        '',
        'Please read it and record what was done:',
        link,
        '',
        'You will need to sign in. The words are not included in this email to keep them safe.',
      ].join('\n'),
    })
  } catch (error) {
    console.error(`[safeguarding] could not queue the alert for comment ${String(comment._id)}:`, error)
  }
}
