/**
 * Authenticator secrets are stored encrypted (AES-256-GCM), never as text: a copy of the database
 * or a backup alone cannot make codes. The key is derived from SESSION_SECRET with HKDF, so there is
 * no extra setting; changing SESSION_SECRET makes stored secrets unreadable (staff then sign in with
 * a recovery code, or an admin resets their authenticator).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 'v1'

export class SecretBox {
  private readonly key: Buffer

  constructor(sessionSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', sessionSecret, 'family-voice', 'authenticator secret', 32))
  }

  seal(plain: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url')}`
  }

  /** The plain text, or undefined when it was sealed with another key or has been altered. */
  open(box: string): string | undefined {
    const [version, body] = box.split(':')
    if (version !== VERSION || !body) return undefined
    const bytes = Buffer.from(body, 'base64url')
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12))
      decipher.setAuthTag(bytes.subarray(12, 28))
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')
    } catch {
      return undefined
    }
  }
}
