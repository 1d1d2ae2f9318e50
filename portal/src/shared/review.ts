// What the institution and authority areas share: paging by X-Total-Count, and the application behind a task
// (staff and officers may read it), its photo and printable form.
import { applications } from '@/api/client'
import type { Application, ApplicationType } from '@/api/types'

export const PAGE_SIZE = 20

// a task's statuses: the same in the institutions and the licensing API (tasks.TaskStatus in each domain)
export const TASK_STATUSES = ['open', 'approved', 'rejected', 'withdrawn', 'closed'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

/** What a queue asks for: a status and a type (null: all), and where the page starts. */
export interface QueueFilter {
  status: TaskStatus | null
  application_type: ApplicationType | null
  offset: number
}

/** Whom a staff list is narrowed to (the institution's queue and roster): part of the physician's name, of the
 * masked ID number (a whole number is masked by the service first) or of the certificate number; null: any. */
export interface PhysicianSearch {
  physician_name: string | null
  id_number: string | null
  certificate_number: string | null
}

export const SEARCH_FIELDS = ['physician_name', 'id_number', 'certificate_number'] as const

/** The search as typed in the fields: each trimmed, an empty one left out (null). */
export function searchOf(typed: Record<(typeof SEARCH_FIELDS)[number], string>): PhysicianSearch {
  const value = (text: string): string | null => text.trim() || null
  return { physician_name: value(typed.physician_name), id_number: value(typed.id_number), certificate_number: value(typed.certificate_number) }
}

export const noSearch = (): Record<(typeof SEARCH_FIELDS)[number], string> => ({ physician_name: '', id_number: '', certificate_number: '' })

/** What the queue and the task file show of any review task, the institution's or the authority's. */
export interface ReviewedTask {
  task_id: string
  application_id: string
  application_type: ApplicationType
  status: TaskStatus
  physician_name: string
  id_number_masked: string
  category: string
  details: Record<string, unknown>
  opened_at: string
  decided_at: string | null
  reason: string | null
}

export interface Page<T> {
  items: T[]
  total: number
}

/** The list's total as the X-Total-Count header says. */
export function total(response: Response, fallback: number): number {
  const header = response.headers.get('X-Total-Count')
  return header === null ? fallback : Number(header)
}

/** The application behind a task (staff and officers may read it), its photo and printable form. */
export async function applicationOf(applicationId: string): Promise<Application | null> {
  const { data } = await applications.GET('/applications/{application_id}', { params: { path: { application_id: applicationId } } })
  return data ?? null
}

export async function applicationPhoto(applicationId: string): Promise<Blob | null> {
  const { data, response } = await applications.GET('/applications/{application_id}/photo', {
    params: { path: { application_id: applicationId } },
    parseAs: 'blob',
  })
  return response.ok ? ((data as Blob | undefined) ?? null) : null
}

export async function applicationForm(applicationId: string): Promise<Blob | null> {
  const { data } = await applications.GET('/applications/{application_id}/form.pdf', {
    params: { path: { application_id: applicationId } },
    parseAs: 'blob',
  })
  return (data as Blob | undefined) ?? null
}

export function taskTone(status: string): 'success' | 'warning' | 'danger' | 'info' {
  if (status === 'approved') return 'success'
  if (status === 'rejected') return 'danger'
  if (status === 'open') return 'warning'
  return 'info'
}
