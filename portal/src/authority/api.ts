// The licensing use cases the authority area calls: the regional queue, a task, materials, the decision, look-up.
import { licensing } from '@/api/client'
import { toProblem, type Problem } from '@/api/problems'
import type { components } from '@/api/generated/licensing'
import type { Registration } from '@/api/types'
import { PAGE_SIZE, total, type Page, type QueueFilter } from '@/shared/review'

type S = components['schemas']
export type AuthorityTask = S['AuthorityTaskRead']
export type HistoryEntry = S['RegistrationHistoryRead']
export type FoundPhysician = S['PhysicianRead']
export type PhysicianWanted = S['PhysicianLookupCreate']


export async function queue(query: QueueFilter): Promise<Page<AuthorityTask>> {
  const { data, response } = await licensing.GET('/authority-tasks', { params: { query: { ...query, limit: PAGE_SIZE } } })
  return { items: data ?? [], total: total(response, data?.length ?? 0) }
}

export async function task(taskId: string): Promise<AuthorityTask | null> {
  const { data } = await licensing.GET('/authority-tasks/{task_id}', { params: { path: { task_id: taskId } } })
  return data ?? null
}

export async function recordMaterials(taskId: string, received: string[]): Promise<{ task: AuthorityTask | null; problem: Problem | null }> {
  const { data, error, response } = await licensing.PUT('/authority-tasks/{task_id}/materials', {
    params: { path: { task_id: taskId } },
    body: { received },
  })
  return response.ok ? { task: data ?? null, problem: null } : { task: null, problem: toProblem(error, response) }
}

export async function decide(taskId: string, outcome: 'approved' | 'rejected', reason: string | null): Promise<Problem | null> {
  const { error, response } = await licensing.POST('/authority-tasks/{task_id}/decision', {
    params: { path: { task_id: taskId } },
    body: { outcome, reason },
  })
  return response.ok ? null : toProblem(error, response)
}

/** The physicians of the officer's region (and below) matching everything given; the ID number goes in the body. */
export async function lookUp(wanted: PhysicianWanted): Promise<{ found: FoundPhysician[]; problem: Problem | null }> {
  const { data, error, response } = await licensing.POST('/physicians/lookups', { body: wanted })
  return response.ok ? { found: data ?? [], problem: null } : { found: [], problem: toProblem(error, response) }
}

/** A physician's registration and its history, by the account id a look-up or a task gave. */
export async function physician(accountId: string): Promise<{ registration: Registration | null; history: HistoryEntry[] }> {
  const path = { account_id: accountId }
  const [reg, hist] = await Promise.all([
    licensing.GET('/physicians/{account_id}/registration', { params: { path } }),
    licensing.GET('/physicians/{account_id}/registration-history', { params: { path } }),
  ])
  return { registration: reg.data ?? null, history: hist.data ?? [] }
}
