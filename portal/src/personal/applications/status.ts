import type { ApplicationStatus } from '@/api/types'

export function statusTone(status: ApplicationStatus): 'success' | 'warning' | 'danger' | 'info' | 'primary' {
  if (status === 'approved') return 'success'
  if (status === 'rejected') return 'danger'
  if (status === 'withdrawn' || status === 'closed' || status === 'draft') return 'info'
  return 'warning'
}
