// A list the API pages (its total in the X-Total-Count header): the page shown, and moving to a filter or a page.
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import type { Page } from '@/shared/review'

export interface Paged<T> {
  list: ShallowRef<T[]>
  total: Ref<number>
  offset: Ref<number>
  loaded: Ref<boolean>
  load: () => Promise<void>
  /** A new filter: from the first page again. */
  filter: () => void
  go: (offset: number) => void
}

/** `fetch` reads the filters and the offset it needs; `start` is where the first load begins. */
export function usePaged<T>(fetch: (offset: number) => Promise<Page<T>>, start = 0): Paged<T> {
  const list = shallowRef<T[]>([])
  const total = ref(0)
  const offset = ref(start)
  const loaded = ref(false)

  async function load(): Promise<void> {
    const page = await fetch(offset.value)
    list.value = page.items
    total.value = page.total
    loaded.value = true
  }

  function go(to: number): void {
    offset.value = to
    void load()
  }

  return { list, total, offset, loaded, load, filter: () => go(0), go }
}
