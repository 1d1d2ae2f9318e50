// The signed-in session. The access token lives in memory only (never localStorage); it is renewed silently a
// minute before it expires. Until identity sets the refresh token as an HttpOnly cookie, the refresh token is
// kept in memory too, so reloading the page signs the person out.
import { reactive } from 'vue'
import { tokens, identity } from '@/api/client'
import type { Account } from '@/api/types'
import { toProblem, type Problem } from '@/api/problems'

interface SessionState {
  accessToken: string | null
  refreshToken: string | null
  me: Account | null
  refresh: () => Promise<boolean>
}

let timer: ReturnType<typeof setTimeout> | undefined
let refreshing: Promise<boolean> | null = null

function keep(access: string, refresh: string, expiresIn: number): void {
  session.accessToken = access
  session.refreshToken = refresh
  clearTimeout(timer)
  timer = setTimeout(() => void session.refresh(), Math.max(10, expiresIn - 60) * 1000)
}

function forget(): void {
  clearTimeout(timer)
  session.accessToken = null
  session.refreshToken = null
  session.me = null
}

async function refreshNow(): Promise<boolean> {
  const refresh_token = session.refreshToken
  if (!refresh_token) return false
  const { data } = await tokens.POST('/tokens/refresh', { body: { refresh_token } })
  if (!data) {
    forget()
    return false
  }
  keep(data.access_token, data.refresh_token, data.expires_in)
  return true
}

export const session: SessionState = reactive({
  accessToken: null,
  refreshToken: null,
  me: null,
  /** One refresh at a time, however many calls found their token expired. */
  refresh(): Promise<boolean> {
    refreshing ??= refreshNow().finally(() => (refreshing = null))
    return refreshing
  },
})

export async function signIn(login_name: string, password: string): Promise<Problem | null> {
  const { data, error, response } = await tokens.POST('/tokens', { body: { login_name, password } })
  if (!data) return toProblem(error, response)
  keep(data.access_token, data.refresh_token, data.expires_in)
  await loadMe()
  return null
}

export async function loadMe(): Promise<Account | null> {
  const { data } = await identity.GET('/me')
  session.me = data ?? null
  return session.me
}

export async function signOut(): Promise<void> {
  const refresh_token = session.refreshToken
  forget()
  if (refresh_token) await tokens.POST('/tokens/revoke', { body: { refresh_token } })
}

export function signedIn(): boolean {
  return session.accessToken !== null
}
