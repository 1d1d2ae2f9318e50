// RFC 9457 problem details as every service answers them, and what a form does with them.

export interface FieldError {
  field: string
  message: string
}

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  errors?: FieldError[] | null
  correlation_id?: string | null
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'detail' in value
}

/** Any failed answer as a problem: a problem document as it is, anything else (a gateway 413, a network error) wrapped. */
export function toProblem(error: unknown, response?: Response): Problem {
  if (isProblem(error)) return error
  const status = response?.status ?? 0
  return { type: 'about:blank', title: response?.statusText || 'Error', status, detail: '' }
}
