// SkillsHub judge app service worker: keeps the app shell on the tablet so /judge opens without a
// network. Marks never go through here: they live in IndexedDB and the page's outbox sends them.
// Scope /judge (registered with {scope: '/judge'}); the API is always left to the network.
const CACHE = 'skillshub-judge-shell-v1';
const SHELL = '/judge';
const STATIC = ['/judge.webmanifest', '/judge-icon.svg', '/judge-icon-192.png', '/judge-icon-512.png'];

async function cacheShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch(SHELL, { cache: 'reload' });
  if (!response.ok) throw new Error(`shell: HTTP ${response.status}`);
  const html = await response.clone().text();
  // The Vite build fingerprints its scripts and styles: cache the ones the shell references.
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map(m => m[1]);
  await cache.addAll([...new Set([...assets, ...STATIC])]);
  await cache.put(SHELL, response);
}

self.addEventListener('install', event => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('skillshub-judge-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(v => { clearTimeout(timer); resolve(v); }, e => { clearTimeout(timer); reject(e); });
  });
}

self.addEventListener('fetch', event => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/hubs/')) return;

  if (request.mode === 'navigate') {
    // Network first (fresh deploys win), the cached shell when the hall's Wi-Fi is gone or slow.
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await withTimeout(fetch(request), 4000);
        if (response.ok) await cache.put(SHELL, response.clone());
        return response;
      } catch {
        const cached = await cache.match(SHELL);
        if (cached) return cached;
        throw new Error('offline and no cached shell');
      }
    })());
    return;
  }

  // Fingerprinted assets and icons: cache first, filled on first use.
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    const response = await fetch(request);
    if (response.ok && (url.pathname.startsWith('/assets/') || STATIC.includes(url.pathname))) await cache.put(request, response.clone());
    return response;
  })());
});
