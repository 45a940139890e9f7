/**
 * The web page: signs in (the link `svc serve --print-url` prints carries a one-time code in the
 * fragment; it is exchanged for a session kept in this tab, and removed from the address bar), then
 * shows the view the address names. Everything it shows and does goes through the HTTP API.
 */
import { forgetSession, messageOf, sessionStands, signIn, signOut } from './api.js';
import { closeLive } from './live.js';
import { show } from './dom.js';
import { eventsView } from './views/events.js';
import { launchView } from './views/launch.js';
import { machineView } from './views/machine.js';
import { machinesView } from './views/machines.js';
import { serviceView } from './views/service.js';
import { servicesView } from './views/services.js';
import { signInView } from './views/signin.js';
import type { View } from './views/view.js';

const main = document.getElementById('main')!;
let stopView: () => void = () => {};
let signedIn = false;

const ROUTES: [RegExp, View][] = [
  [/^#\/services$/, servicesView],
  [/^#\/service\/([^/]+)$/, serviceView],
  [/^#\/launch$/, launchView],
  [/^#\/machines$/, machinesView],
  [/^#\/machine\/([^/]+)\/([^/]+)$/, machineView],
  [/^#\/events$/, eventsView],
];

/** A part of the address, decoded; null when it is not valid percent-encoding (a mistyped address). */
const decoded = (part: string): string | null => {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
};

const route = () => {
  stopView();
  const hash = location.hash || '#/services';
  for (const [pattern, view] of ROUTES) {
    const match = pattern.exec(hash);
    const parts = match?.slice(1).map(decoded);
    if (match && parts && parts.every((part) => part !== null)) {
      for (const link of document.querySelectorAll('nav a'))
        link.toggleAttribute('aria-current', hash.startsWith(link.getAttribute('href')!));
      stopView = view(main, ...(parts as string[]));
      return;
    }
  }
  location.hash = '#/services';
};

const signOutButton = document.getElementById('sign-out') as HTMLButtonElement;

const enter = () => {
  signedIn = true;
  signOutButton.hidden = false;
  route();
};

const signedOut = (problem?: string) => {
  stopView();
  stopView = () => {};
  closeLive();
  forgetSession();
  signedIn = false;
  signOutButton.hidden = true;
  signInView(main, () => void boot(), problem);
};

/** A sign-in link's code (`#code=...`), taken out of the address bar before anything else happens; an old link's token is taken out unused. */
const takeCode = (): string | null => {
  const hash = location.hash;
  if (!/[#&](code|token)=/.test(hash)) return null;
  history.replaceState(null, '', `${location.pathname}#/services`);
  const code = /[#&]code=([^&]+)/.exec(hash)?.[1];
  return code === undefined ? null : (decoded(code) ?? '');
};

const boot = async () => {
  const code = takeCode();
  if (code !== null) {
    try {
      await signIn({ code });
      return enter();
    } catch (error) {
      return signedOut(messageOf(error));
    }
  }
  if (!(await sessionStands())) return signedOut();
  enter();
};

// A sign-in link opened in a tab that already shows the page only changes the fragment.
window.addEventListener('hashchange', () => {
  if (/[#&](code|token)=/.test(location.hash)) void boot();
  else if (signedIn) route();
});
window.addEventListener('svc:signed-out', () => {
  if (signedIn)
    signedOut(
      'Your session has ended (you signed out elsewhere, the token was replaced, the server restarted, or it was idle): sign in again.',
    );
});
signOutButton.addEventListener('click', () => {
  void signOut()
    .catch(() => {})
    .then(() => signedOut('You have signed out.'));
});

boot().catch((error) => show(main, `svc cannot be reached: ${messageOf(error)}`));
