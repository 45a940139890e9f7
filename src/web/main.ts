/**
 * The web page: signs in (the link `svc serve` prints carries the token once, in the fragment; it
 * is exchanged for a session cookie and removed from the address bar), then shows the view the
 * address names. Everything it shows and does goes through the HTTP API.
 */
import { api, currentSession, messageOf, setCsrf } from './api.js';
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
      for (const link of document.querySelectorAll('nav a')) link.toggleAttribute('aria-current', hash.startsWith(link.getAttribute('href')!));
      stopView = view(main, ...(parts as string[]));
      return;
    }
  }
  location.hash = '#/services';
};

const enter = () => {
  signedIn = true;
  route();
};

const signedOut = (problem?: string) => {
  stopView();
  stopView = () => {};
  signedIn = false;
  signInView(main, () => void boot(), problem);
};

const boot = async () => {
  const token = /[#&]token=([^&]+)/.exec(location.hash)?.[1];
  if (token) {
    history.replaceState(null, '', `${location.pathname}#/services`);
    try {
      const session = await api<{ csrf: string }>('POST', '/ui/session', { token: decoded(token) ?? '' });
      setCsrf(session.csrf);
      return enter();
    } catch (error) {
      return signedOut(messageOf(error));
    }
  }
  const session = await currentSession();
  if (!session.signed_in) return signedOut();
  setCsrf(session.csrf!);
  enter();
};

// A sign-in link opened in a tab that already shows the page only changes the fragment.
window.addEventListener('hashchange', () => {
  if (/[#&]token=/.test(location.hash)) void boot();
  else if (signedIn) route();
});
window.addEventListener('svc:signed-out', () => signedOut('Your session has ended (the server restarted, or it was idle): sign in again.'));

boot().catch((error) => show(main, `svc cannot be reached: ${messageOf(error)}`));
