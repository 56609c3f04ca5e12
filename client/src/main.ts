import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { i18n, i18nReady } from './i18n';
import './styles.css';
import { registerServiceWorker } from './lib/serviceWorker';

const app = createApp(App).use(createPinia()).use(i18n).use(router);
// The first paint is in the device's language: its catalogue may be a chunk still loading.
void i18nReady.then(() => app.mount('#app'));
registerServiceWorker();
