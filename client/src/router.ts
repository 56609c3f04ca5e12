import { createRouter, createWebHistory } from 'vue-router';

// Every screen is its own chunk: the TV and the phones never download the staff tools.
// `meta.title`: the tab gets the catalogue's `router.<name>` and the café's name (App.vue,
// composables/useTabTitle.ts).
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
