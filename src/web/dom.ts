/**
 * Building the page's elements. Text always goes in as text (textContent), never as HTML: a service
 * name, an image or a reason from the API is data, and cannot become markup or script.
 */
export type Child = Node | string | number | null | undefined | false | Child[];

export interface Props {
  class?: string;
  [attribute: string]: string | number | boolean | undefined | ((event: Event) => void);
}

export const h = (tag: string, props: Props = {}, ...children: Child[]): HTMLElement => {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function')
      element.addEventListener(key.replace(/^on/, '').toLowerCase(), value as EventListener);
    else if (key === 'class') element.className = String(value);
    else if (value === true) element.setAttribute(key, '');
    else element.setAttribute(key, String(value));
  }
  append(element, children);
  return element;
};

const append = (parent: Node, children: Child[]) => {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else
      parent.appendChild(
        typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
      );
  }
};

/** Replaces what an element shows. */
export const show = (parent: HTMLElement, ...children: Child[]): void => {
  parent.replaceChildren();
  append(parent, children);
};

/** A short message at the bottom of the screen, read out by screen readers. */
export const toast = (message: string, kind: 'ok' | 'error' = 'ok'): void => {
  const box = document.getElementById('toast')!;
  box.className = kind;
  box.textContent = message;
  window.clearTimeout(Number(box.dataset.timer));
  box.dataset.timer = String(window.setTimeout(() => (box.textContent = ''), 6000));
};

/** A yes/no question in a modal dialog, answered with the keyboard or the mouse. */
export const confirmDialog = (question: string, details: Child = null, yes = 'Yes'): Promise<boolean> =>
  new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { 'aria-label': question },
      h(
        'form',
        { method: 'dialog' },
        h('h2', {}, question),
        details,
        h(
          'div',
          { class: 'buttons' },
          h('button', { value: 'no' }, 'Cancel'),
          h('button', { value: 'yes', class: 'primary' }, yes),
        ),
      ),
    ) as HTMLDialogElement;
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'yes');
      dialog.remove();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
