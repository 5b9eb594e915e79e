// The one error type. Every failure the system names has a stable code (kebab-case, e.g.
// 'calendar-range', 'feishu-api', 'table-broken') that is stored with it, a message a person can
// read, and the original error as its cause (as Bolt's errors do).

export class AppError<C extends string = string> extends Error {
  readonly code: C
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = new.target.name
  }
}

/** The code of any thrown value: its own when it is an AppError, else 'unexpected'. */
export function errorCode(error: unknown): string {
  return error instanceof AppError ? error.code : 'unexpected'
}

/** One line for logs and error columns: name, message, and the causes after it. */
export function describeError(error: unknown): string {
  const parts: string[] = []
  let e: unknown = error
  for (let depth = 0; e !== undefined && depth < 5; depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e))
    e = e instanceof Error ? e.cause : undefined
  }
  return parts.join(' ← ')
}
