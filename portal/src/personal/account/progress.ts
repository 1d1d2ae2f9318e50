// Where an account stands on the way to business applications: registered → checked → phone → active.
import type { Account } from '@/api/types'

export type Stage = 'qualification' | 'phone' | 'activation' | 'ready'

export function stageOf(me: Account): Stage {
  if (me.status === 'registered' || me.status === 'unverified') return 'qualification'
  if (me.status === 'verified') return 'phone'
  if (me.status === 'secured') return 'activation'
  return 'ready'
}
