import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router'
import { session, loadMe, restore } from '@/session/session'
import { allows, currentRole, homeOf, type Role } from '@/session/roles'
import { i18n } from '@/i18n'

const PHYSICIAN: Role[] = ['physician']
const STAFF: Role[] = ['institution_staff']
const OFFICER: Role[] = ['officer']
const ADMIN: Role[] = ['admin']

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('@/personal/auth/HomePage.vue'), meta: { title: 'home.title' } },
  { path: '/sign-in', name: 'sign-in', component: () => import('@/personal/auth/SignInPage.vue'), meta: { title: 'signIn.title' } },
  { path: '/register', name: 'register', component: () => import('@/personal/auth/RegisterPage.vue'), meta: { title: 'register.title' } },
  { path: '/recover', name: 'recover', component: () => import('@/personal/auth/RecoverPage.vue'), meta: { title: 'recover.title' } },
  // identity's e-mails link here: {IDENTITY_PORTAL_URL}/verify-email?token=…, the portal URL ending in /portal
  { path: '/portal/verify-email', name: 'verify-email', component: () => import('@/personal/security/VerifyEmailPage.vue'), meta: { title: 'verifyEmail.title' } },
  { path: '/verify', name: 'verify', component: () => import('@/verify/VerifyPage.vue'), meta: { title: 'verify.title' } },
  // a licence's QR code opens {LICENSING_PUBLIC_BASE_URL}/V/RL1:… (capitals: the QR code's alphanumeric mode)
  { path: '/V/:credential(.*)', name: 'verify-qr', component: () => import('@/verify/VerifyPage.vue'), meta: { title: 'verify.title' } },
  { path: '/me', name: 'account', component: () => import('@/personal/account/AccountPage.vue'), meta: { auth: true, roles: PHYSICIAN, title: 'account.title' } },
  { path: '/me/phone', name: 'verify-phone', component: () => import('@/personal/account/VerifyPhonePage.vue'), meta: { auth: true, roles: PHYSICIAN, title: 'phone.title' } },
  { path: '/me/activation', name: 'activation', component: () => import('@/personal/account/ActivationPage.vue'), meta: { auth: true, roles: PHYSICIAN, title: 'activation.title' } },
  { path: '/me/apply', name: 'apply', component: () => import('@/personal/applications/ApplyPage.vue'), meta: { auth: true, roles: PHYSICIAN, title: 'apply.title' } },
  { path: '/me/apply/:type', name: 'apply-form', component: () => import('@/personal/applications/ApplicationFormPage.vue'), meta: { auth: true, roles: PHYSICIAN, title: 'apply.formTitle' } },
  { path: '/me/applications', name: 'my-applications', component: () => import('@/personal/applications/MyApplicationsPage.vue'), meta: { auth: true, roles: PHYSICIAN, title: 'applications.title' } },
  { path: '/me/applications/:id', name: 'application', component: () => import('@/personal/applications/ApplicationPage.vue'), meta: { auth: true, roles: PHYSICIAN, title: 'application.title' } },
  { path: '/me/licence', name: 'licence', component: () => import('@/personal/licence/LicencePage.vue'), meta: { auth: true, roles: PHYSICIAN, title: 'licence.title' } },
  { path: '/me/security', name: 'security', component: () => import('@/personal/security/SecurityPage.vue'), meta: { auth: true, roles: PHYSICIAN, title: 'security.title' } },
  { path: '/me/inbox', name: 'inbox', component: () => import('@/personal/inbox/InboxPage.vue'), meta: { auth: true, roles: PHYSICIAN, title: 'inbox.title' } },
  { path: '/institution', redirect: { name: 'institution-activations' } },
  { path: '/institution/activations', name: 'institution-activations', component: () => import('@/institution/activations/ActivationRequestsPage.vue'), meta: { auth: true, roles: STAFF, title: 'institutionArea.activationsTitle' } },
  { path: '/institution/reviews', name: 'institution-reviews', component: () => import('@/institution/reviews/ReviewQueuePage.vue'), meta: { auth: true, roles: STAFF, title: 'institutionArea.reviewsTitle' } },
  { path: '/institution/reviews/:id', name: 'institution-review', component: () => import('@/institution/reviews/ReviewTaskPage.vue'), meta: { auth: true, roles: STAFF, title: 'institutionArea.taskTitle' } },
  { path: '/institution/roster', name: 'institution-roster', component: () => import('@/institution/roster/RosterPage.vue'), meta: { auth: true, roles: STAFF, title: 'institutionArea.rosterTitle' } },
  { path: '/authority', redirect: { name: 'authority-queue' } },
  { path: '/authority/tasks', name: 'authority-queue', component: () => import('@/authority/tasks/AuthorityQueuePage.vue'), meta: { auth: true, roles: OFFICER, title: 'authorityArea.queueTitle' } },
  { path: '/authority/tasks/:id', name: 'authority-task', component: () => import('@/authority/tasks/AuthorityTaskPage.vue'), meta: { auth: true, roles: OFFICER, title: 'authorityArea.taskTitle' } },
  { path: '/authority/physicians', name: 'authority-lookup', component: () => import('@/authority/physicians/PhysicianLookupPage.vue'), meta: { auth: true, roles: OFFICER, title: 'authorityArea.lookupTitle' } },
  { path: '/operator', name: 'operator', component: () => import('@/operator/OperatorHomePage.vue'), meta: { auth: true, roles: ADMIN, title: 'operatorArea.title' } },
  { path: '/operator/institutions', name: 'operator-institutions', component: () => import('@/operator/InstitutionsPage.vue'), meta: { auth: true, roles: ADMIN, title: 'operatorArea.institutionsTitle' } },
  { path: '/operator/import', name: 'operator-import', component: () => import('@/operator/ImportPage.vue'), meta: { auth: true, roles: ADMIN, title: 'operatorArea.importTitle' } },
  { path: '/operator/accounts', name: 'operator-accounts', component: () => import('@/operator/AccountsPage.vue'), meta: { auth: true, roles: ADMIN, title: 'operatorArea.accountsTitle' } },
  { path: '/operator/keys', name: 'operator-keys', component: () => import('@/operator/KeysPage.vue'), meta: { auth: true, roles: ADMIN, title: 'operatorArea.keysTitle' } },
  { path: '/operator/audit', name: 'operator-audit', component: () => import('@/operator/AuditPage.vue'), meta: { auth: true, roles: ADMIN, title: 'operatorArea.auditTitle' } },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('@/shared/NotFoundPage.vue'), meta: { title: 'notFound.title' } },
]

export const router = createRouter({ history: createWebHistory(), routes, scrollBehavior: () => ({ top: 0 }) })

// A signed-in page's code starts loading while the guard restores the session, not after it (on a slow network
// that waiting was two round trips more before the page could show). Every page here is a lazy import.
function startLoading(to: RouteLocationNormalized): void {
  for (const record of to.matched) {
    const page = record.components?.default
    if (typeof page === 'function' && !('props' in page)) void (page as () => Promise<unknown>)().catch(() => undefined)
  }
}

router.beforeEach(async (to) => {
  if (to.meta.auth) startLoading(to)
  if (to.meta.auth && !session.accessToken) await restore() // a reload: the cookie's session, if any
  if (to.meta.auth && !session.accessToken) return { name: 'sign-in', query: { next: to.fullPath } }
  if (to.meta.auth && !session.me) await loadMe()
  const role = currentRole()
  // each kind of account works in its own area: any other area's page sends it to its own start page
  if (to.meta.auth && !allows(to.meta.roles as Role[] | undefined, role)) return homeOf(role)
  return true
})

router.afterEach((to) => {
  const key = typeof to.meta.title === 'string' ? to.meta.title : 'app.title'
  document.title = `${i18n.global.t(key)} - ${i18n.global.t('app.title')}`
})
