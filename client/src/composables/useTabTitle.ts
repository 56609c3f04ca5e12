import { effectScope, onUnmounted, ref, watchEffect } from 'vue';
import { i18n } from '../i18n';
import { useCafe } from '../stores/cafe';

// The one place that writes the tab's title: "<what this page is> · <café name>", the first
// part from the catalogue in the active language, the name from the café's identity, both live.
// The route names the page (App.vue); a page may name itself more precisely (a called ticket).

const routeKey = ref<string | null>(null);
const pageKey = ref<string | null>(null);
let following = false;

function follow() {
  if (following) return;
  following = true;
  const cafe = useCafe();
  effectScope(true).run(() =>
    watchEffect(() => {
      const key = pageKey.value ?? routeKey.value;
      const { t, te } = i18n.global;
      // te() reads the locale: the title follows a change of language.
      document.title = key && te(key) ? `${t(key)} · ${cafe.name}` : cafe.name;
    }),
  );
}

/** App.vue: the route's catalogue key (`router.<name>`), null for none. */
export function useRouteTitle(key: () => string | null) {
  follow();
  watchEffect(() => {
    routeKey.value = key();
  });
}

/** A page's own title key while it is mounted; the route's again once it leaves. */
export function usePageTitle(key: () => string) {
  follow();
  watchEffect(() => {
    pageKey.value = key();
  });
  onUnmounted(() => {
    pageKey.value = null;
  });
}
