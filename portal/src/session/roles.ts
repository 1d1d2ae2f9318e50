// Where each kind of account works: physicians in the personal area, staff, officers and operators in theirs.
import type { components } from '@/api/generated/identity'
import { session } from './session'

export type Role = components['schemas']['Role']

const HOMES: Record<Role, string> = {
  physician: '/me',
  institution_staff: '/institution',
  officer: '/authority',
  admin: '/operator',
}

/** The signed-in account's role, from /me (the token says the same). */
export function currentRole(): Role | null {
  return session.me?.role ?? null
}

export function homeOf(role: Role | null): string {
  return role ? HOMES[role] : '/sign-in'
}

/** May this role open a route that asks for `allowed` roles (none asked: every signed-in account)? */
export function allows(allowed: Role[] | undefined, role: Role | null): boolean {
  return !allowed || (role !== null && allowed.includes(role))
}
