// The institutions use cases the institution area calls: activation requests, auto-activation, reviews, roster.
import { institutions } from '@/api/client'
import { toProblem, type Problem } from '@/api/problems'
import type { components } from '@/api/generated/institutions'
import { PAGE_SIZE, total, type Page, type PhysicianSearch, type QueueFilter } from '@/shared/review'

type S = components['schemas']
export type ActivationRequest = S['ActivationRequestRead']
export type RequestStatus = S['RequestStatus']
export type ReviewTask = S['ReviewTaskRead']
export type RosterEntry = S['RosterEntryRead']
export type RosterRole = S['RosterRole']
export type Channel = S['Channel']
export type Institution = S['InstitutionRead']

export const REQUEST_STATUSES: RequestStatus[] = ['pending', 'code_sent', 'granted', 'declined']
export const ROSTER_ROLES: RosterRole[] = ['main', 'multi_site']


export async function activationRequests(status: RequestStatus | null): Promise<ActivationRequest[]> {
  const { data } = await institutions.GET('/activation-requests', { params: { query: { status } } })
  return data ?? []
}

export async function sendCode(accountId: string, channel: Channel): Promise<Problem | null> {
  const { error, response } = await institutions.POST('/activation-requests/{account_id}/activation-code', {
    params: { path: { account_id: accountId } },
    body: { channel },
  })
  return response.ok ? null : toProblem(error, response)
}

export async function decline(accountId: string, reason: string): Promise<Problem | null> {
  const { error, response } = await institutions.POST('/activation-requests/{account_id}/decline', {
    params: { path: { account_id: accountId } },
    body: { reason },
  })
  return response.ok ? null : toProblem(error, response)
}

export async function institution(id: string): Promise<Institution | null> {
  const { data } = await institutions.GET('/institutions')
  return data?.find((i) => i.institution_id === id) ?? null
}

export async function setAutoActivation(id: string, enabled: boolean): Promise<Problem | null> {
  const { error, response } = await institutions.PUT('/institutions/{institution_id}/auto-activation', {
    params: { path: { institution_id: id } },
    body: { enabled },
  })
  return response.ok ? null : toProblem(error, response)
}

export async function reviewQueue(query: QueueFilter, search: PhysicianSearch): Promise<Page<ReviewTask>> {
  const { data, response } = await institutions.GET('/review-tasks', { params: { query: { ...query, ...search, limit: PAGE_SIZE } } })
  return { items: data ?? [], total: total(response, data?.length ?? 0) }
}

export async function reviewTask(taskId: string): Promise<ReviewTask | null> {
  const { data } = await institutions.GET('/review-tasks/{task_id}', { params: { path: { task_id: taskId } } })
  return data ?? null
}

export async function decideReview(taskId: string, outcome: 'approved' | 'rejected', reason: string | null): Promise<Problem | null> {
  const { error, response } = await institutions.POST('/review-tasks/{task_id}/decision', {
    params: { path: { task_id: taskId } },
    body: { outcome, reason },
  })
  return response.ok ? null : toProblem(error, response)
}

export async function roster(role: RosterRole | null, search: PhysicianSearch, offset: number): Promise<Page<RosterEntry>> {
  const { data, response } = await institutions.GET('/roster', { params: { query: { role, ...search, offset, limit: PAGE_SIZE } } })
  return { items: data ?? [], total: total(response, data?.length ?? 0) }
}

/** Everyone on the roster the filter and search find, as the CSV file employers keep (the export is audited). */
export async function rosterCsv(role: RosterRole | null, search: PhysicianSearch): Promise<Blob | Problem> {
  const { data, error, response } = await institutions.GET('/roster/export', { params: { query: { role, ...search } }, parseAs: 'blob' })
  return response.ok ? (data as unknown as Blob) : toProblem(error, response)
}
