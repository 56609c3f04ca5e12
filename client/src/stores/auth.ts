import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, ApiError, type User } from '../api';
import { renewPageConnection } from '../composables/pageConnection';

export const useAuth = defineStore('auth', () => {
  const user = ref<User | null>(null);
  /** False until GET /api/auth/me has answered, so the login form does not flash. */
  const checked = ref(false);

  async function check(): Promise<void> {
    try {
      user.value = await api.auth.me();
    } catch (err) {
      // Only a 401 answers the question; a server that is down must not look like "signed out".
      if (!(err instanceof ApiError && err.status === 401)) throw err;
      user.value = null;
    }
    checked.value = true;
  }

  async function login(username: string, password: string): Promise<void> {
    const signedIn = await api.auth.login(username, password);
    // Before the staff screens follow /staff, which admits a connection by its handshake's session.
    renewPageConnection();
    user.value = signedIn;
  }

  /** A new password comes with a new session id, hence a new cookie, as a sign-in does. */
  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await api.auth.changePassword(currentPassword, newPassword);
    renewPageConnection();
  }

  async function logout(): Promise<void> {
    await api.auth.logout();
    user.value = null;
  }

  /** Called when any staff request answers 401: the session expired under us. */
  function sessionLost(): void {
    user.value = null;
  }

  return { user, checked, check, login, changePassword, logout, sessionLost };
});
