// bvantq's service worker: the citizen form after one visit, with no network.
//
// What it keeps, in this build's cache: the citizen pages as the server last drew them (GET of
// /, /k/CODE, /to-giac, /theo-doi; never a page answering a post, which may carry what a person
// typed) and the build's assets (content-hashed, so kept as they are). What it never keeps:
// anything under /api/ (data), the officer console's pages, anything but GET. The console's
// assets are kept like any asset; its data never.
//
// Pledges that could not be sent: the page keeps them on the phone and sends them when the
// network is back while it is open (web-form/src/outbox.rs); it also hands each one here, where
// it waits in a cache of its own and goes with Background Sync when the browser has it, even
// after the page is closed. Both send it under the same Idempotency-Key: it arrives once.
//
// The server fills the {{…}} names with the build's hashed addresses (api/src/infra/static_files.rs).

// Each page loads only its own part of the app (web_form_pledge, _tip, _follow, _picker): a part
// is kept when its page is, not all of them at install, so a first visit downloads one part only.
const ASSETS = ['{{style.css}}', '{{icon-192.png}}', '{{icon-512.png}}'];
const CACHE = 'bvantq-{{build}}';
const OUTBOX = 'bvantq-outbox';
const SYNC_TAG = 'bvantq-outbox';
const PAGES = /^\/(k\/[A-Za-z0-9]{1,12}\/?|to-giac\/?|theo-doi\/?)?$/;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((k) => k.startsWith('bvantq-') && k !== CACHE && k !== OUTBOX)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
      // The page that installed the worker was fetched before it: kept now, so it opens offline.
      .then(() => self.clients.matchAll({ type: 'window' }))
      .then((open) => caches.open(CACHE).then((c) => Promise.all(open.map((w) => {
        const u = new URL(w.url);
        return u.origin === self.location.origin && PAGES.test(u.pathname)
          ? keepPage(c, u.origin + u.pathname).catch(() => null)
          : null;
      }))))
  );
});

// A page and the assets it names (its part of the app): they came before the worker, from the
// browser's own cache, which answers these requests again without the network.
async function keepPage(cache, url) {
  await cache.add(url);
  const page = await cache.match(url);
  const text = page ? await page.text() : '';
  const assets = [...new Set(text.match(/\/assets\/[A-Za-z0-9_.-]+/g) || [])];
  await cache.addAll(assets);
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req).then((res) => {
      if (res.ok) {
        const copy = res.clone();
        caches.open(CACHE).then((c) => c.put(req, copy));
      }
      return res;
    })));
    return;
  }
  if (req.mode === 'navigate' && PAGES.test(url.pathname)) {
    // The network first (the page as drawn now), the copy kept from the last visit otherwise.
    const key = url.origin + url.pathname;
    event.respondWith(fetch(req).then((res) => {
      if (res.ok) {
        const copy = res.clone();
        caches.open(CACHE).then((c) => c.put(key, copy));
      }
      return res;
    }).catch(() => caches.match(key).then((hit) => hit || Response.error())));
  }
});

// A pledge the page could not send: {type: 'keep', url, key, body}; one it has sent itself:
// {type: 'forget', key}; the page back online: {type: 'flush'}.
self.addEventListener('message', (event) => {
  const m = event.data || {};
  const entry = (key) => new Request(self.location.origin + '/outbox/' + encodeURIComponent(key));
  if (m.type === 'keep' && m.key && m.url && m.body) {
    const stored = new Response(JSON.stringify({ url: m.url, key: m.key, body: m.body }),
      { headers: { 'content-type': 'application/json' } });
    event.waitUntil(caches.open(OUTBOX).then((c) => c.put(entry(m.key), stored))
      .then(() => self.registration.sync ? self.registration.sync.register(SYNC_TAG) : null)
      .catch(() => null));
  } else if (m.type === 'forget' && m.key) {
    event.waitUntil(caches.open(OUTBOX).then((c) => c.delete(entry(m.key))));
  } else if (m.type === 'flush') {
    event.waitUntil(flush().catch(() => null));
  }
});

self.addEventListener('sync', (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(flush());
});

// Sends what waits; forgets what the server took or refused for good (a 4xx other than 408 and
// 429). Fails while something is left, so Background Sync tries again later.
async function flush() {
  const cache = await caches.open(OUTBOX);
  let left = 0;
  for (const req of await cache.keys()) {
    const stored = await cache.match(req);
    if (!stored) continue;
    const p = await stored.json();
    try {
      const res = await fetch(p.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': p.key },
        body: p.body,
      });
      const final = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      if (res.ok || final) {
        await cache.delete(req);
      } else {
        left += 1;
      }
    } catch (_) {
      left += 1;
    }
  }
  if (left > 0) throw new Error(left + ' pledge(s) still waiting');
}
