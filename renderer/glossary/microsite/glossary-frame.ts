/**
 * The glossary inside a microsite page. The content server adds this script, wrapped around the
 * release's glossary, to every HTML page of a microsite (main/core/content/site-glossary.ts);
 * it runs in the page's sandboxed frame, next to marketing's own scripts and under the site CSP.
 * It underlines the glossary's terms in the page's text and shows a definition on tap, with the
 * same matcher the app uses for search snippets.
 *
 * The page is not ours: it only ever adds elements around text (never parses HTML, never
 * touches form fields, links, buttons or code), gives up its work in small slices so a huge
 * page stays responsive, and keeps its popover's look in a shadow root so the page's CSS
 * cannot reach it. Built on its own (an IIFE, see renderer/vite.config.ts), not part of the app.
 */
import { createGlossaryMatcher, type GlossaryTermSource } from '#shared/glossary-terms';

interface SiteGlossaryEntry extends GlossaryTermSource {
  term: string;
  definition: string;
}

// Supplied by the content server, which wraps this script in a function with these parameters.
declare const pitchcaseGlossary: readonly SiteGlossaryEntry[];
declare const pitchcaseFrame: { kiosk?: boolean } | undefined;

const TERM_TAG = 'pitchcase-term';
const POPOVER_TAG = 'pitchcase-definition';
/** Text under these is left alone: code, controls, links, and what the reader cannot see. */
const SKIPPED = new Set([
  'a',
  'button',
  'code',
  'pre',
  'kbd',
  'samp',
  'var',
  'script',
  'style',
  'noscript',
  'template',
  'textarea',
  'input',
  'select',
  'option',
  'optgroup',
  'label',
  'output',
  'summary',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'title',
  'head',
  'canvas',
  'video',
  'audio',
  TERM_TAG,
  POPOVER_TAG,
]);
/** A page that names a term thousands of times gets the first ones underlined, not a frozen tab. */
const MAX_TERMS = 2000;
/** Milliseconds of work before handing the thread back to the page. */
const SLICE_MS = 8;

const popoverStyles = `
.box { box-sizing: border-box; letter-spacing: normal; word-spacing: normal; text-transform: none; text-indent: 0;
  white-space: normal; font-style: normal; visibility: visible; direction: ltr; width: min(340px, calc(100vw - 24px)); max-height: min(60vh, 400px); overflow: auto;
  padding: 10px 14px 14px; border: 1px solid #d7dde3; border-radius: 14px; background: #fff; color: #16202b;
  box-shadow: 0 4px 10px rgb(16 24 40 / 0.08), 0 12px 28px rgb(16 24 40 / 0.14);
  font: 14.5px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; text-align: left; }
.head { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-right: -8px; }
.eyebrow { color: #065f59; font-size: 12px; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; }
.close { min-width: 44px; min-height: 44px; border: 0; border-radius: 12px; background: transparent; color: #4a5666;
  font: 22px/1 system-ui, sans-serif; cursor: pointer; }
.close:focus-visible { outline: 3px solid #0a7c74; outline-offset: -3px; }
h2 { margin: 0 0 4px; font-size: 17px; font-weight: 700; }
p { margin: 0; color: #4a5666; }
`;

function start(entries: readonly SiteGlossaryEntry[]): void {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const matcher = createGlossaryMatcher(entries);
  if (matcher.size === 0) return;
  let wrapped = 0;

  const isSkipped = (element: Element): boolean =>
    SKIPPED.has(element.localName) ||
    element.hasAttribute('hidden') ||
    (element as HTMLElement).isContentEditable ||
    /^(button|link|textbox)$/.test(element.getAttribute('role') ?? '');

  /** Text nodes under `root` worth reading, in document order. */
  const textNodesUnder = (root: Node): Text[] => {
    if (root.nodeType === Node.TEXT_NODE) return [root as Text];
    if (!(root instanceof Element) && root !== document) return [];
    const nodes: Text[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => {
        if (node.nodeType === Node.ELEMENT_NODE)
          return isSkipped(node as Element) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
        return /[\p{L}\p{N}]/u.test((node as Text).data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    if (root instanceof Element && isSkipped(root)) return nodes;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
    return nodes;
  };

  const insideSkipped = (node: Node): boolean => {
    for (let element = node.parentElement; element; element = element.parentElement)
      if (isSkipped(element)) return true;
    return false;
  };

  const wrap = (node: Text): void => {
    if (!node.parentNode || insideSkipped(node)) return;
    const text = node.data;
    const matches = matcher.find(text);
    if (matches.length === 0) return;
    const fragment = document.createDocumentFragment();
    let at = 0;
    for (const match of matches) {
      if (wrapped >= MAX_TERMS) break;
      if (match.start > at) fragment.append(document.createTextNode(text.slice(at, match.start)));
      fragment.append(termElement(text.slice(match.start, match.end), match.id));
      wrapped += 1;
      at = match.end;
    }
    if (at === 0) return;
    if (at < text.length) fragment.append(document.createTextNode(text.slice(at)));
    node.parentNode.replaceChild(fragment, node);
  };

  // A tap on a term is the term's: the page's handlers around it do not see it.
  const onTermClick = (event: MouseEvent) => {
    const term = event.currentTarget as HTMLElement;
    event.preventDefault();
    event.stopPropagation();
    if (openTerm === term) hide(false);
    else show(term, event.detail === 0);
  };

  const termElement = (text: string, id: string): HTMLElement => {
    const element = document.createElement(TERM_TAG);
    element.textContent = text;
    element.dataset.pitchcaseTerm = id;
    element.setAttribute('role', 'button');
    element.setAttribute('tabindex', '0');
    element.setAttribute('aria-haspopup', 'dialog');
    element.setAttribute('aria-expanded', 'false');
    // Set through the CSSOM: no style attribute markup, nothing for the CSP to refuse.
    element.style.setProperty('text-decoration', 'underline dotted', 'important');
    element.style.setProperty('text-decoration-thickness', '2px');
    element.style.setProperty('text-underline-offset', '3px');
    element.style.setProperty('cursor', 'help');
    element.style.setProperty('-webkit-tap-highlight-color', 'transparent');
    // On the term itself, not delegated: Chromium's touch adjustment steers a finger to the
    // nearest element that listens for clicks, and the term must be one.
    element.addEventListener('click', onTermClick);
    return element;
  };

  // Work: subtrees still to read, and the text nodes of the one being read, done in slices.
  const roots: Node[] = [];
  let texts: Text[] = [];
  let textAt = 0;
  let scheduled = false;
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'characterData') roots.push(record.target);
      else record.addedNodes.forEach((node) => roots.push(node));
    }
    schedule();
  });
  const schedule = () => {
    if (scheduled || wrapped >= MAX_TERMS || (roots.length === 0 && textAt >= texts.length)) return;
    scheduled = true;
    setTimeout(work, 0);
  };
  const work = () => {
    scheduled = false;
    const until = performance.now() + SLICE_MS;
    while (performance.now() < until && wrapped < MAX_TERMS) {
      if (textAt < texts.length) {
        wrap(texts[textAt]!);
        textAt += 1;
        continue;
      }
      const root = roots.shift();
      if (!root) break;
      if (!root.isConnected || insideSkipped(root)) continue;
      texts = textNodesUnder(root);
      textAt = 0;
    }
    // Our own wrapping is not news.
    observer.takeRecords();
    schedule();
  };

  // The definition: one popover for the page, in the top layer, styled inside its shadow root.
  const host = document.createElement(POPOVER_TAG);
  host.setAttribute('popover', 'manual');
  for (const [name, value] of Object.entries({
    position: 'fixed',
    inset: 'auto',
    margin: '0',
    padding: '0',
    border: '0',
    background: 'transparent',
    overflow: 'visible',
  })) {
    host.style.setProperty(name, value, 'important');
  }
  const shadow = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(popoverStyles);
  shadow.adoptedStyleSheets = [sheet];
  const box = document.createElement('div');
  box.className = 'box';
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-labelledby', 'term');
  const head = document.createElement('div');
  head.className = 'head';
  const eyebrow = document.createElement('span');
  eyebrow.className = 'eyebrow';
  eyebrow.textContent = 'Definition';
  const closeButton = document.createElement('button');
  closeButton.type = 'button';
  closeButton.className = 'close';
  closeButton.setAttribute('aria-label', 'Close definition');
  closeButton.textContent = '×';
  head.append(eyebrow, closeButton);
  const heading = document.createElement('h2');
  heading.id = 'term';
  const definition = document.createElement('p');
  box.append(head, heading, definition);
  shadow.append(box);

  let openTerm: HTMLElement | null = null;

  const place = (term: HTMLElement) => {
    const anchor = term.getBoundingClientRect();
    const size = host.getBoundingClientRect();
    const margin = 8;
    const left = Math.max(margin, Math.min(anchor.left, window.innerWidth - size.width - margin));
    const below = anchor.bottom + 6;
    const top =
      below + size.height + margin <= window.innerHeight ? below : Math.max(margin, anchor.top - 6 - size.height);
    host.style.setProperty('left', `${left}px`, 'important');
    host.style.setProperty('top', `${top}px`, 'important');
  };

  const show = (term: HTMLElement, byKeyboard: boolean) => {
    const entry = byId.get(term.dataset.pitchcaseTerm ?? '');
    if (!entry) return;
    if (openTerm) openTerm.setAttribute('aria-expanded', 'false');
    openTerm = term;
    term.setAttribute('aria-expanded', 'true');
    heading.textContent = entry.term;
    definition.textContent = entry.definition;
    host.dataset.entryId = entry.id;
    // The page may have replaced <body> or written over the document: always put it back.
    if (!host.isConnected) document.documentElement.append(host);
    if (!host.matches(':popover-open')) host.showPopover();
    place(term);
    if (byKeyboard) closeButton.focus();
  };

  const hide = (returnFocus: boolean) => {
    if (!openTerm) return;
    const term = openTerm;
    openTerm = null;
    term.setAttribute('aria-expanded', 'false');
    if (host.matches(':popover-open')) host.hidePopover();
    if (returnFocus && term.isConnected) term.focus();
  };

  const termOf = (event: Event): HTMLElement | null => {
    const target = event.target;
    return target instanceof Element ? target.closest<HTMLElement>(TERM_TAG) : null;
  };

  window.addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Escape' && openTerm) {
        event.preventDefault();
        event.stopPropagation();
        hide(true);
        return;
      }
      const term = termOf(event);
      if (!term || (event.key !== 'Enter' && event.key !== ' ')) return;
      event.preventDefault();
      event.stopPropagation();
      if (openTerm === term) hide(true);
      else show(term, true);
    },
    true,
  );
  window.addEventListener(
    'pointerdown',
    (event) => {
      if (!openTerm || event.composedPath().includes(host) || termOf(event)) return;
      hide(false);
    },
    true,
  );
  window.addEventListener('resize', () => openTerm && place(openTerm));
  window.addEventListener('scroll', () => openTerm && place(openTerm), true);
  closeButton.addEventListener('click', (event) => {
    event.stopPropagation();
    hide(true);
  });

  observer.observe(document, { childList: true, subtree: true, characterData: true });
  roots.push(document.body ?? document.documentElement);
  schedule();
}

/**
 * The kiosk: a link opens in this frame or not at all. Ctrl/Cmd/Shift+click and a middle click
 * would open a new tab or window in a plain Chromium whatever the frame's sandbox says, so they
 * are cancelled before the browser acts on them (capture phase, before the page's own handlers;
 * a page cannot un-cancel a default). The page's own handlers still run.
 */
function guardLinks(): void {
  const onLink = (event: Event) =>
    event.composedPath().some((node) => node instanceof Element && node.matches('a[href], area[href]'));
  window.addEventListener(
    'click',
    (event) => {
      if ((event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) && onLink(event)) event.preventDefault();
    },
    true,
  );
  window.addEventListener(
    'auxclick',
    (event) => {
      if (onLink(event)) event.preventDefault();
    },
    true,
  );
  // A middle press starts autoscroll or, on a link, a drag out of the frame: neither at a booth.
  window.addEventListener(
    'mousedown',
    (event) => {
      if (event.button === 1) event.preventDefault();
    },
    true,
  );
  window.addEventListener(
    'dragstart',
    (event) => {
      if (onLink(event)) event.preventDefault();
    },
    true,
  );
}

try {
  if (typeof pitchcaseFrame === 'object' && pitchcaseFrame?.kiosk === true) guardLinks();
} catch {
  // Never in the way of the page.
}

try {
  start(Array.isArray(pitchcaseGlossary) ? pitchcaseGlossary : []);
} catch {
  // A page that broke the DOM APIs we need gets no glossary, and keeps working.
}
