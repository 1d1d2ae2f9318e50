// The one typed client of the five services, all through the gateway under /api/<service>.
// Pages and components call these, never fetch() with a hand-written URL.
import createClient, { type Client } from 'openapi-fetch'
import type { paths as IdentityPaths } from './generated/identity'
import type { paths as ApplicationsPaths } from './generated/applications'
import type { paths as InstitutionsPaths } from './generated/institutions'
import type { paths as NotificationsPaths } from './generated/notifications'
import type { paths as LicensingPaths } from './generated/licensing'
import { session } from '@/session/session'

export const API_ROOT = '/api'

/** fetch with the session's access token; one silent refresh and retry when the token has expired. */
async function authorisedFetch(input: Request): Promise<Response> {
  const retry = input.clone()
  const first = await fetch(withToken(input))
  if (first.status !== 401 || !session.accessToken) return first
  if (!(await session.refresh())) return first
  return fetch(withToken(retry))
}

function withToken(request: Request): Request {
  const headers = new Headers(request.headers)
  if (session.accessToken) headers.set('Authorization', `Bearer ${session.accessToken}`)
  headers.set('Accept-Language', document.documentElement.lang || 'zh-CN')
  return new Request(request, { headers })
}

function client<P extends object>(service: string): Client<P> {
  return createClient<P>({ baseUrl: `${API_ROOT}/${service}`, fetch: authorisedFetch })
}

export const identity = client<IdentityPaths>('identity')
export const applications = client<ApplicationsPaths>('applications')
export const institutions = client<InstitutionsPaths>('institutions')
export const notifications = client<NotificationsPaths>('notifications')
export const licensing = client<LicensingPaths>('licensing')

/** Sign-in and token calls: no Authorization header, no retry. */
export const tokens = createClient<IdentityPaths>({ baseUrl: `${API_ROOT}/identity` })
