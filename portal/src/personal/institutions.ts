// The institutions a physician may choose (to be activated by, to register at, to file at), loaded once.
import { ref } from 'vue'
import { institutions as api } from '@/api/client'
import type { Institution } from '@/api/types'

export const institutionList = ref<Institution[]>([])

export async function loadInstitutions(): Promise<Institution[]> {
  if (!institutionList.value.length) {
    const { data } = await api.GET('/institutions')
    institutionList.value = data ?? []
  }
  return institutionList.value
}

export function institutionName(id: string | null | undefined): string {
  return institutionList.value.find((i) => i.institution_id === id)?.name ?? id ?? ''
}
