// The inbox's unread count in the header, polled while someone is signed in.
import { ref } from 'vue'
import { notifications } from '@/api/client'

export const unread = ref(0)
let timer: ReturnType<typeof setInterval> | undefined

export async function refreshUnread(): Promise<void> {
  const { data } = await notifications.GET('/inbox/unread-count')
  if (data) unread.value = data.unread
}

export function startUnreadPolling(): void {
  void refreshUnread()
  clearInterval(timer)
  timer = setInterval(() => void refreshUnread(), 20_000)
}

export function stopUnreadPolling(): void {
  clearInterval(timer)
  unread.value = 0
}
