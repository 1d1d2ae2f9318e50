// Chinese first, English switchable; every text of the portal lives in these two files.
import { createI18n } from 'vue-i18n'
import { ref } from 'vue'
import zhCN from './zh-CN'
import en from './en'

export type Messages = typeof zhCN
export type Locale = 'zh-CN' | 'en'

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

/** Element Plus's own texts follow (its locale is passed to ElConfigProvider in App.vue). */
export const currentLocale = ref<Locale>('zh-CN')

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  currentLocale.value = locale
  document.documentElement.lang = locale
  document.title = i18n.global.t('app.title')
}
