/** Shown without a session: how to get the sign-in link, and a field for the token itself. Never an error dump. */
import { messageOf, signIn } from '../api.js';
import { h, show } from '../dom.js';

export const signInView = (main: HTMLElement, onSignedIn: () => void, problem = ''): void => {
  const message = h('p', { class: 'problem', role: 'alert' }, problem);
  const token = h('input', {
    type: 'password',
    name: 'token',
    autocomplete: 'off',
    'aria-label': 'API token',
    required: true,
  }) as HTMLInputElement;
  show(
    main,
    h('h1', {}, 'Sign in'),
    h('p', {}, 'Run this on the host and open the link it prints (a link signs in once, within 5 minutes):'),
    h('pre', {}, 'svc serve --print-url'),
    h('p', {}, 'Or paste the API token (', h('code', {}, 'svc serve --print-token'), '):'),
    h(
      'form',
      {
        class: 'inline',
        onsubmit: async (event: Event) => {
          event.preventDefault();
          try {
            await signIn({ token: token.value.trim() });
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
