import { watch } from 'vue';
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { i18n } from './i18n';

// Every screen is its own chunk: the TV and the phones never download the staff tools.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/join' },
    { path: '/staff', name: 'staff', component: () => import('./pages/StaffPage.vue'), meta: { title: true } },
    { path: '/staff/settings', name: 'settings', component: () => import('./pages/SettingsPage.vue'), meta: { title: true } },
    { path: '/staff/accounts', name: 'accounts', component: () => import('./pages/AccountsPage.vue'), meta: { title: true } },
    { path: '/staff/history', name: 'history', component: () => import('./pages/HistoryPage.vue'), meta: { title: true } },
    { path: '/board', name: 'board', component: () => import('./pages/BoardPage.vue'), meta: { title: true } },
    { path: '/join', name: 'join', component: () => import('./pages/JoinPage.vue'), meta: { title: true } },
    {
      path: '/t/:code',
      name: 'ticket',
      component: () => import('./pages/TicketPage.vue'),
      props: true,
      meta: { title: true },
    },
    {
      path: '/:pathMatch(.*)*',
      name: 'not-found',
      component: () => import('./pages/NotFoundPage.vue'),
      meta: { title: true },
    },
  ],
});

/** The route's name picks its title in the catalogue (router.*), in the active language. */
function setTitle(to: RouteLocationNormalized): void {
  const key = `router.${String(to.name ?? '')}`;
  const title = to.meta.title === true && i18n.global.te(key) ? i18n.global.t(key) : '';
  document.title = title ? `${title} · Meeple Queue` : 'Meeple Queue';
}

router.afterEach(setTitle);
// A language chosen on the page renames the tab too.
watch(i18n.global.locale, () => setTitle(router.currentRoute.value));
