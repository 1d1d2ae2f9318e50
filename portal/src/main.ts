import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { i18n, setLocale } from './i18n'
import './styles.css'

const app = createApp(App)
app.use(i18n).use(router)
setLocale(new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh-CN')
app.mount('#app')
