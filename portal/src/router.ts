import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { session } from '@/session/session'
import { i18n } from '@/i18n'

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('@/personal/auth/HomePage.vue'), meta: { title: 'home.title' } },
  { path: '/sign-in', name: 'sign-in', component: () => import('@/personal/auth/SignInPage.vue'), meta: { title: 'signIn.title' } },
  { path: '/register', name: 'register', component: () => import('@/personal/auth/RegisterPage.vue'), meta: { title: 'register.title' } },
  { path: '/recover', name: 'recover', component: () => import('@/personal/auth/RecoverPage.vue'), meta: { title: 'recover.title' } },
  // identity's e-mails link here: {IDENTITY_PORTAL_URL}/verify-email?token=…, the portal URL ending in /portal
  { path: '/portal/verify-email', name: 'verify-email', component: () => import('@/personal/security/VerifyEmailPage.vue'), meta: { title: 'verifyEmail.title' } },
  { path: '/verify', name: 'verify', component: () => import('@/verify/VerifyPage.vue'), meta: { title: 'verify.title' } },
  { path: '/me', name: 'account', component: () => import('@/personal/account/AccountPage.vue'), meta: { auth: true, title: 'account.title' } },
  { path: '/me/phone', name: 'verify-phone', component: () => import('@/personal/account/VerifyPhonePage.vue'), meta: { auth: true, title: 'phone.title' } },
  { path: '/me/activation', name: 'activation', component: () => import('@/personal/account/ActivationPage.vue'), meta: { auth: true, title: 'activation.title' } },
  { path: '/me/apply', name: 'apply', component: () => import('@/personal/applications/ApplyPage.vue'), meta: { auth: true, title: 'apply.title' } },
  { path: '/me/apply/:type', name: 'apply-form', component: () => import('@/personal/applications/ApplicationFormPage.vue'), meta: { auth: true, title: 'apply.formTitle' } },
  { path: '/me/applications', name: 'my-applications', component: () => import('@/personal/applications/MyApplicationsPage.vue'), meta: { auth: true, title: 'applications.title' } },
  { path: '/me/applications/:id', name: 'application', component: () => import('@/personal/applications/ApplicationPage.vue'), meta: { auth: true, title: 'application.title' } },
  { path: '/me/licence', name: 'licence', component: () => import('@/personal/licence/LicencePage.vue'), meta: { auth: true, title: 'licence.title' } },
  { path: '/me/security', name: 'security', component: () => import('@/personal/security/SecurityPage.vue'), meta: { auth: true, title: 'security.title' } },
  { path: '/me/inbox', name: 'inbox', component: () => import('@/personal/inbox/InboxPage.vue'), meta: { auth: true, title: 'inbox.title' } },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('@/shared/NotFoundPage.vue'), meta: { title: 'notFound.title' } },
]

export const router = createRouter({ history: createWebHistory(), routes, scrollBehavior: () => ({ top: 0 }) })

router.beforeEach((to) => {
  if (to.meta.auth && !session.accessToken) return { name: 'sign-in', query: { next: to.fullPath } }
  return true
})

router.afterEach((to) => {
  const key = typeof to.meta.title === 'string' ? to.meta.title : 'app.title'
  document.title = `${i18n.global.t(key)} - ${i18n.global.t('app.title')}`
})
