/** Shown without a session: how to get the sign-in link, and a field for the token itself. Never an error dump. */
import { api, messageOf, setCsrf } from '../api.js';
import { h, show } from '../dom.js';

export const signInView = (main: HTMLElement, onSignedIn: () => void, problem = ''): void => {
  const message = h('p', { class: 'problem', role: 'alert' }, problem);
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'off', 'aria-label': 'API token', required: true }) as HTMLInputElement;
  show(
    main,
    h('h1', {}, 'Sign in'),
    h('p', {}, 'Open the link that ', h('code', {}, 'svc serve'), ' printed, or run this on the host and open the link it prints:'),
    h('pre', {}, 'svc serve --print-url'),
    h('p', {}, 'Or paste the API token (', h('code', {}, 'svc serve --print-token'), '):'),
    h(
      'form',
      {
        class: 'inline',
        onsubmit: async (event: Event) => {
          event.preventDefault();
          try {
            const session = await api<{ csrf: string }>('POST', '/ui/session', { token: token.value.trim() });
            setCsrf(session.csrf);
            onSignedIn();
          } catch (error) {
            message.textContent = messageOf(error);
          }
        },
      },
      token,
      h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    ),
    message,
  );
  token.focus();
};
