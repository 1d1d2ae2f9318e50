// The admin use cases the operator area calls: institutions, imports, accounts, key rotations, the audit trails.
import type { Client } from 'openapi-fetch'
import { identity, institutions, licensing } from '@/api/client'
import { toProblem, type Problem } from '@/api/problems'
import type { components as IdentityTypes } from '@/api/generated/identity'
import type { components as InstitutionsTypes } from '@/api/generated/institutions'
import { PAGE_SIZE, total, type Page } from '@/shared/review'

export type Institution = InstitutionsTypes['schemas']['InstitutionRead']
export type InstitutionCreate = InstitutionsTypes['schemas']['InstitutionCreate']
export type InstitutionUpdate = InstitutionsTypes['schemas']['InstitutionUpdate']
export type Account = IdentityTypes['schemas']['OperatorAccountRead']
export type AccountCreate = IdentityTypes['schemas']['StaffAccountCreate']
export type Role = IdentityTypes['schemas']['Role']
export type AccountStatus = IdentityTypes['schemas']['AccountStatus']
export type AuditEntry = IdentityTypes['schemas']['AuditEntryRead'] & { service: AuditSource }

export const ROLES: Role[] = ['institution_staff', 'officer', 'admin', 'physician']
export const STATUSES: AccountStatus[] = ['active', 'disabled', 'registered', 'unverified', 'verified', 'secured']

type Answer<T> = { data?: T; error?: unknown; response: Response }
function outcome<T>({ data, error, response }: Answer<T>): T | Problem {
  return response.ok && data !== undefined ? data : toProblem(error, response)
}
function done({ error, response }: Answer<unknown>): Problem | null {
  return response.ok ? null : toProblem(error, response)
}

export async function listInstitutions(): Promise<Institution[]> {
  const { data } = await institutions.GET('/institutions')
  return data ?? []
}

export async function createInstitution(body: InstitutionCreate): Promise<Institution | Problem> {
  return outcome(await institutions.POST('/admin/institutions', { body }))
}

export async function editInstitution(id: string, body: InstitutionUpdate): Promise<Institution | Problem> {
  return outcome(await institutions.PUT('/admin/institutions/{institution_id}', { params: { path: { institution_id: id } }, body }))
}

export interface AccountQuery { role: Role | null; status: AccountStatus | null; q: string | null }

export async function listAccounts(query: AccountQuery, offset: number): Promise<Page<Account>> {
  const { data, response } = await identity.GET('/admin/accounts', { params: { query: { ...query, offset, limit: PAGE_SIZE } } })
  return { items: data ?? [], total: total(response, data?.length ?? 0) }
}

export async function createAccount(body: AccountCreate): Promise<Problem | null> {
  return done(await identity.POST('/admin/accounts', { body }))
}

export async function disableAccount(id: string, reason: string): Promise<Problem | null> {
  return done(await identity.POST('/admin/accounts/{account_id}/disable', { params: { path: { account_id: id } }, body: { reason } }))
}

export async function enableAccount(id: string): Promise<Problem | null> {
  return done(await identity.POST('/admin/accounts/{account_id}/enable', { params: { path: { account_id: id } } }))
}

export async function unlockAccount(id: string): Promise<Problem | null> {
  return done(await identity.POST('/admin/accounts/{account_id}/unlock', { params: { path: { account_id: id } } }))
}

export type KeyKind = 'token' | 'licence'

export async function rotateKey(kind: KeyKind): Promise<{ kid: string; published: string[] } | Problem> {
  return outcome(kind === 'token' ? await identity.POST('/admin/token-keys/rotations') : await licensing.POST('/admin/licence-keys/rotations'))
}

// the import endpoints (issue 17): one chunk of the CSV file with its header line, `first_line` its first data row's
// line in the file; both services answer with the same report
export type ImportKind = 'institutions' | 'qualifications'
export type ImportReport = InstitutionsTypes['schemas']['ImportResult'] & IdentityTypes['schemas']['ImportResult']

export async function importChunk(kind: ImportKind, csv: string, firstLine: number, dryRun: boolean): Promise<ImportReport | Problem> {
  const chunk = {
    params: { query: { dry_run: dryRun, first_line: firstLine } },
    body: csv,
    bodySerializer: (text: string) => text,
    headers: { 'Content-Type': 'text/csv; charset=utf-8' },
  }
  return outcome(kind === 'institutions' ? await institutions.POST('/admin/institutions/import', chunk) : await identity.POST('/admin/qualifications/import', chunk))
}

export type AuditSource = 'identity' | 'institutions' | 'licensing'
export const AUDIT_SOURCES: AuditSource[] = ['identity', 'institutions', 'licensing']
export const AUDIT_MERGED_MAX = 200 // the newest this many across the services; one service pages further

async function auditOf(source: AuditSource, query: { action?: string | null; actor_id?: string | null }, offset: number, limit: number): Promise<Page<AuditEntry>> {
  const clients = { identity, institutions, licensing } as unknown as Record<AuditSource, Client<Record<string, { get: { parameters: { query: object }; responses: { 200: { content: { 'application/json': IdentityTypes['schemas']['AuditEntryRead'][] } } } } }>>>
  const { data, response } = await clients[source].GET('/admin/audit-trail', { params: { query: { ...query, offset, limit } } })
  return { items: (data ?? []).map((e) => ({ ...e, service: source })), total: total(response, data?.length ?? 0) }
}

/** One page of the audit view: one service's trail, or the newest entries of all three merged by time. */
export async function auditTrail(source: AuditSource | null, query: { action: string | null; actor_id: string | null }, offset: number): Promise<Page<AuditEntry>> {
  const wanted = { action: query.action || null, actor_id: query.actor_id || null }
  if (source) return auditOf(source, wanted, offset, PAGE_SIZE)
  const limit = Math.min(AUDIT_MERGED_MAX, offset + PAGE_SIZE)
  const pages = await Promise.all(AUDIT_SOURCES.map((s) => auditOf(s, wanted, 0, limit).catch(() => ({ items: [], total: 0 }))))
  const merged = pages.flatMap((p) => p.items).sort((a, b) => b.at.localeCompare(a.at))
  const all = pages.reduce((n, p) => n + p.total, 0)
  return { items: merged.slice(offset, offset + PAGE_SIZE), total: Math.min(all, AUDIT_MERGED_MAX) }
}
