// The signed-in session. The access token lives in memory only (never localStorage); it is renewed silently a
// minute before it expires. The refresh token is a browser session's HttpOnly cookie, which script here never
// sees: identity sets it on sign-in and takes it back, with the X-Regsys-Session header, on refresh and sign-out.
// A reload (or a new tab) restores the session from it.
import { reactive } from 'vue'
import { tokens, identity } from '@/api/client'
import type { Account } from '@/api/types'
import { toProblem, type Problem } from '@/api/problems'

interface SessionState {
  accessToken: string | null
  me: Account | null
  refresh: () => Promise<boolean>
}

const BROWSER_SESSION = { 'X-Regsys-Session': 'cookie' } as const

let timer: ReturnType<typeof setTimeout> | undefined
let refreshing: Promise<boolean> | null = null

function keep(access: string, expiresIn: number): void {
  session.accessToken = access
  clearTimeout(timer)
  timer = setTimeout(() => void session.refresh(), Math.max(10, expiresIn - 60) * 1000)
}

function forget(): void {
  clearTimeout(timer)
  session.accessToken = null
  session.me = null
}

async function refreshNow(): Promise<boolean> {
  const { data } = await tokens.POST('/tokens/refresh', { params: { header: BROWSER_SESSION } })
  if (!data) {
    forget()
    return false
  }
  keep(data.access_token, data.expires_in)
  return true
}

export const session: SessionState = reactive({
  accessToken: null,
  me: null,
  /** One refresh at a time, however many calls found their token expired. */
  refresh(): Promise<boolean> {
    refreshing ??= refreshNow().finally(() => (refreshing = null))
    return refreshing
  },
})

export async function signIn(login_name: string, password: string): Promise<Problem | null> {
  const { data, error, response } = await tokens.POST('/tokens', {
    body: { login_name, password },
    params: { header: BROWSER_SESSION },
  })
  if (!data) return toProblem(error, response)
  keep(data.access_token, data.expires_in)
  await loadMe()
  return null
}

export async function loadMe(): Promise<Account | null> {
  const { data } = await identity.GET('/me')
  session.me = data ?? null
  return session.me
}

export async function signOut(): Promise<void> {
  forget()
  await tokens.POST('/tokens/revoke', { params: { header: BROWSER_SESSION } })
}

/** Sign out on every device: every session of the account ends, this one too. */
export async function signOutEverywhere(): Promise<boolean> {
  const { response } = await identity.POST('/tokens/revoke-all')
  if (response.ok) forget()
  return response.ok
}

let restoring: Promise<boolean> | null = null

/** On the first page that needs a session: the cookie's session, if the browser holds one (tried once a load). */
export function restore(): Promise<boolean> {
  restoring ??= session.refresh()
  return restoring
}

export function signedIn(): boolean {
  return session.accessToken !== null
}
