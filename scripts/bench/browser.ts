/**
 * Just enough of a browser for the bench: one cookie jar per visitor (a family or a staff member),
 * fetch without following redirects, and the CSRF token from a form.
 */
export class Visitor {
  private cookies = new Map<string, string>()
  constructor(private readonly base: string) {}

  async request(
    path: string,
    init: { method?: string; form?: Record<string, string>; bearer?: string } = {},
  ) {
    const headers: Record<string, string> = {}
    if (this.cookies.size)
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    if (init.bearer) headers.authorization = `Bearer ${init.bearer}`
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded'
    const response = await fetch(`${this.base}${path}`, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers,
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      const at = pair!.indexOf('=')
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1))
    }
    return {
      status: response.status,
      location: response.headers.get('location'),
      text: await response.text(),
    }
  }

  /** GET that must answer `status` (and, for a redirect, go to `location`). */
  async expect(path: string, status: number, location?: string) {
    const response = await this.request(path)
    if (response.status !== status || (location && response.location !== location))
      throw new Error(
        `GET ${path} answered ${response.status} ${response.location ?? ''}, not ${status} ${location ?? ''}`,
      )
    return response
  }
}

export function csrfFrom(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error('No CSRF token on the page')
  return token
}

/**
 * Signs in through the real form, then, for an account with an authenticator app (admin and QA),
 * the code page with the code `code()` gives.
 */
export async function signedIn(
  base: string,
  email: string,
  password: string,
  code?: () => string,
): Promise<Visitor> {
  const visitor = new Visitor(base)
  const form = await visitor.expect('/sign-in', 200)
  const response = await visitor.request('/sign-in', {
    form: { _csrf: csrfFrom(form.text), email, password },
  })
  if (response.status !== 303) throw new Error(`Signing in ${email} answered ${response.status}`)
  if (response.location === '/sign-in/code') {
    if (!code) throw new Error(`${email} has an authenticator app: the bench needs its code`)
    const codePage = await visitor.expect('/sign-in/code', 200)
    const entered = await visitor.request('/sign-in/code', {
      form: { _csrf: csrfFrom(codePage.text), code: code() },
    })
    if (entered.status !== 303) throw new Error(`The code for ${email} answered ${entered.status}`)
  }
  return visitor
}
