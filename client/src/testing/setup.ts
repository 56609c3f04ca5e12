import { afterEach, beforeEach } from '@jest/globals';
import { config, enableAutoUnmount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { i18n, setDefaultLocale, setPageLocale } from '../i18n';

// Each test starts with empty stores, shared by what it mounts and the stores it reads itself
// (useToasts() in a spec sees the toasts the component pushed).
beforeEach(async () => {
  const pinia = createPinia();
  setActivePinia(pinia);
  config.global.plugins = [pinia, i18n];
  // Specs read English, whatever a previous test chose.
  localStorage.clear();
  await setPageLocale(null);
  await setDefaultLocale('en');
});

// Every mounted component is unmounted after its test: its clocks, sockets and store feeds stop.
enableAutoUnmount(afterEach);

// jsdom has <dialog> and its `open` attribute but not the modal API ConfirmDialog calls.
// Opening and closing is all a spec can observe without layout, so that is all this does.
HTMLDialogElement.prototype.showModal ??= function showModal(this: HTMLDialogElement) {
  this.open = true;
};
HTMLDialogElement.prototype.close ??= function close(this: HTMLDialogElement) {
  this.open = false;
};
