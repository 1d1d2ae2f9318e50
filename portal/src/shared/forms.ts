// GOV.UK-style form errors: one list summarised at the top, each message also beside its field.
import { reactive } from 'vue'
import type { Problem } from '@/api/problems'

export interface FormErrors {
  summary: string
  fields: Record<string, string>
  order: string[]
}

export function useFormErrors() {
  const errors = reactive<FormErrors>({ summary: '', fields: {}, order: [] })
  return {
    errors,
    clear(): void {
      errors.summary = ''
      errors.fields = {}
      errors.order = []
    },
    /** The API's errors[] beside each field (by its name, e.g. `form.education`); the detail at the top. */
    show(problem: Problem, fallback: string, rename: Record<string, string> = {}): void {
      errors.fields = {}
      errors.order = []
      for (const e of problem.errors ?? []) {
        const name = rename[e.field] ?? e.field
        if (!(name in errors.fields)) errors.order.push(name)
        errors.fields[name] = errors.fields[name] ? `${errors.fields[name]} ${e.message}` : e.message
      }
      errors.summary = problem.detail || fallback
    },
    set(field: string, message: string): void {
      if (!(field in errors.fields)) errors.order.push(field)
      errors.fields[field] = message
    },
  }
}

/** A field's element id from its API name: `form.education` → `field-form-education`. */
export function fieldId(name: string): string {
  return `field-${name.replace(/[^A-Za-z0-9]+/g, '-')}`
}
