// The applications use cases the pages call: drafts, photo, submission, withdrawal, the printable form.
import { applications, licensing } from '@/api/client'
import { toProblem, type Problem } from '@/api/problems'
import type { Application, Registration } from '@/api/types'
import type { components } from '@/api/generated/applications'

export type Draft = components['schemas']['InitialRegistrationDraft'] | components['schemas']['ChangeRegistrationDraft'] | components['schemas']['MultiSiteFilingDraft'] | components['schemas']['CancelMultiSiteFilingDraft'] | components['schemas']['PracticeFilingDraft'] | components['schemas']['CancelFilingDraft'] | components['schemas']['DeregistrationDraft'] | components['schemas']['PhotoUpdateDraft']

type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem }

export async function createDraft(body: Draft): Promise<Result<Application>> {
  const { data, error, response } = await applications.POST('/applications', { body })
  return data ? { ok: true, value: data } : { ok: false, problem: toProblem(error, response) }
}

export async function uploadPhoto(applicationId: string, photo: File): Promise<Result<string>> {
  const { data, error, response } = await applications.PUT('/applications/{application_id}/photo', {
    params: { path: { application_id: applicationId } },
    body: photo as unknown as string,
    bodySerializer: (file) => file as unknown as BodyInit,
    headers: { 'Content-Type': photo.type || 'image/jpeg' },
  })
  return data ? { ok: true, value: data.sha256 } : { ok: false, problem: toProblem(error, response) }
}

export async function submit(applicationId: string): Promise<Result<Application>> {
  const { data, error, response } = await applications.POST('/applications/{application_id}/submission', {
    params: { path: { application_id: applicationId } },
  })
  return data ? { ok: true, value: data } : { ok: false, problem: toProblem(error, response) }
}

export async function withdraw(applicationId: string, reason: string | null): Promise<Result<Application>> {
  const { data, error, response } = await applications.POST('/applications/{application_id}/withdrawal', {
    params: { path: { application_id: applicationId } },
    body: { reason },
  })
  return data ? { ok: true, value: data } : { ok: false, problem: toProblem(error, response) }
}

export async function one(applicationId: string): Promise<Application | null> {
  const { data } = await applications.GET('/applications/{application_id}', { params: { path: { application_id: applicationId } } })
  return data ?? null
}

export async function mine(): Promise<Application[]> {
  const { data } = await applications.GET('/applications')
  return data ?? []
}

export async function formPdf(applicationId: string): Promise<Blob | null> {
  const { data } = await applications.GET('/applications/{application_id}/form.pdf', {
    params: { path: { application_id: applicationId } },
    parseAs: 'blob',
  })
  return (data as Blob | undefined) ?? null
}

export async function photo(applicationId: string): Promise<Blob | null> {
  const { data } = await applications.GET('/applications/{application_id}/photo', {
    params: { path: { application_id: applicationId } },
    parseAs: 'blob',
  })
  return (data as Blob | undefined) ?? null
}

/** The physician's practice registration, or null before the first approval. */
export async function myRegistration(): Promise<Registration | null> {
  const { data } = await licensing.GET('/registrations/me')
  return data ?? null
}

export const OPEN_STATUSES = ['draft', 'submitted', 'institution_review', 'authority_review']
