import { createRouter, createWebHistory } from 'vue-router';

// Every screen is its own chunk: the TV and the phones never download the staff tools.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/join' },
    { path: '/staff', name: 'staff', component: () => import('./pages/StaffPage.vue'), meta: { title: 'Staff' } },
    { path: '/staff/settings', name: 'settings', component: () => import('./pages/SettingsPage.vue'), meta: { title: 'Café & hours' } },
    { path: '/staff/accounts', name: 'accounts', component: () => import('./pages/AccountsPage.vue'), meta: { title: 'Staff accounts' } },
    { path: '/staff/history', name: 'history', component: () => import('./pages/HistoryPage.vue'), meta: { title: 'History' } },
    { path: '/board', name: 'board', component: () => import('./pages/BoardPage.vue'), meta: { title: 'Board' } },
    { path: '/join', name: 'join', component: () => import('./pages/JoinPage.vue'), meta: { title: 'Join the queue' } },
    {
      path: '/t/:code',
      name: 'ticket',
      component: () => import('./pages/TicketPage.vue'),
      props: true,
      meta: { title: 'Your ticket' },
    },
    {
      path: '/:pathMatch(.*)*',
      name: 'not-found',
      component: () => import('./pages/NotFoundPage.vue'),
      meta: { title: 'Not found' },
    },
  ],
});

// The page title (meta.title · the café's name) is set by App.vue, which follows the café live.
