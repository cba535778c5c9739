/*
 * The MarketingOS tracker, installed on a landing page with one tag:
 *
 *   <script defer src="https://mos.example.com/s.js" data-key="mos_pk_…"></script>
 *
 * It keeps the visitor and session ids on the page's own site (a first-party cookie, else localStorage), sends a
 * page view on load and on every single-page-app navigation, keeps the landing URL's campaign parameters for the
 * session, and gives the page mos('event', {…}), mos.identify(userId) and mos.visitorId(). The README documents
 * every data- attribute. tracker.min.js is built from this file by `go generate` (esbuild); do not edit it.
 *
 * Rules this file keeps: it never throws into the page (every entry point is wrapped by safe), uses nothing that a
 * strict Content-Security-Policy forbids (no eval, no inline styles), and stays under 2.5 KB gzipped (a test
 * holds it to that).
 */
(function (w, d, nav) {
  'use strict';

  var script = d.currentScript;
  var stub = w.mos;
  if (!script || (stub && stub.loaded)) return; // loaded twice: the first copy is the one in charge

  var STORE = '_mos';
  var SESSION_MS = 30 * 60 * 1000; // a session ends after 30 minutes without a hit, as on the server
  var YEAR_S = 365 * 24 * 3600;
  var LINK_MAX_AGE_S = 120; // a decorated link is honoured this long: a shared or bookmarked one is not
  // Campaign parameters of the landing URL, and the event fields they are sent as.
  var PARAMS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'gclid', 'fbclid', 'msclkid', 'ttclid', 'li_fat_id'];
  var FIELDS = ['source', 'medium', 'campaign', 'term', 'content', 'gclid', 'fbclid', 'msclkid', 'ttclid', 'liFatId'];
  // Event properties a page may set: the endpoint refuses unknown fields, so nothing else is copied.
  var PROPS = ['userId', 'value', 'currency', 'metadata', 'idempotencyKey'];
  var DOWNLOAD = /\.(pdf|zip|dmg|exe|msi|pkg|deb|rpm|apk|csv|xlsx?|docx?|pptx?|txt|rtf|mp3|mp4|mov|gz|7z|rar)$/i;

  var attr = function (name) { return script.getAttribute('data-' + name); };
  var has = function (name) { return script.hasAttribute('data-' + name); };
  var key = attr('key');
  var endpoint = (attr('api') || new URL(script.src).origin) + '/api/tracking/event';
  var cookieless = has('cookieless');
  var domains = (attr('domains') || '').split(/[\s,]+/).filter(Boolean);
  // Crawlers and test automation send nothing unless the page asks (data-allow-automation, for tests). The
  // server filters bots by user agent too: this only saves their requests.
  var off = !key || (!has('allow-automation') && (nav.webdriver || /bot|crawl|spider|headless|lighthouse/i.test(nav.userAgent)));

  var state = {}; // v: visitor id, s: session id, t: time of the last hit (ms), c: the session's campaign
  var cookieDomain; // undefined: not yet found; '': host-only; null: cookies unusable, localStorage instead
  var user = '';
  var lastPage = '';
  var referrer = d.referrer;
  var replaceState = history.replaceState;

  function safe(fn) {
    return function () {
      try { return fn.apply(this, arguments); } catch (e) { /* a tracker must never break the page */ }
    };
  }

  function newID() {
    return Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return (b + 256).toString(16).slice(1);
    }).join('');
  }

  // Identity storage. Cookieless mode keeps the state in memory only, for the life of the page.

  function readCookie() {
    var m = d.cookie.match(/(?:^|;\s*)_mos=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : '';
  }

  function writeCookie(value, domain) {
    d.cookie = STORE + '=' + encodeURIComponent(value) + ';path=/;max-age=' + YEAR_S + ';SameSite=Lax' +
      (domain ? ';domain=' + domain : '') + (location.protocol == 'https:' ? ';Secure' : '');
    return readCookie() == value;
  }

  function load() {
    var raw = '';
    try { raw = readCookie() || localStorage.getItem(STORE) || ''; } catch (e) { /* storage blocked */ }
    try { return JSON.parse(raw) || {}; } catch (e) { return {}; }
  }

  function save() {
    var value = JSON.stringify(state);
    try {
      if (cookieDomain === undefined) {
        // The registrable domain is the highest one that accepts a cookie (example.co.uk, never co.uk): there
        // the cookie is shared by www.example.co.uk and shop.example.co.uk alike. Host-only is the last resort.
        var labels = location.hostname.split('.');
        for (var i = labels.length - 2; i >= -1 && cookieDomain === undefined; i--) {
          var domain = i < 0 ? '' : labels.slice(i).join('.');
          if (writeCookie(value, domain)) cookieDomain = domain;
        }
        if (cookieDomain === undefined) cookieDomain = null;
      } else if (cookieDomain != null && !writeCookie(value, cookieDomain)) {
        cookieDomain = null;
      }
    } catch (e) {
      cookieDomain = null;
    }
    if (cookieDomain == null) {
      try { localStorage.setItem(STORE, value); } catch (e) { /* memory only, for this page */ }
    }
  }

  // session refreshes the ids for a hit: the visitor stays, the session is renewed after 30 idle minutes or when
  // the page arrives from another campaign (campaign: its parameters, or null when the URL carries none).
  function session(campaign) {
    // The stored state is the freshest (another tab may have renewed the session); with no storage at all, the
    // page's own memory keeps the ids for as long as it lives.
    var stored = cookieless ? {} : load();
    if (stored.v) state = stored;
    var now = Date.now();
    state.v = state.v || newID();
    if (!state.s || !(now - state.t < SESSION_MS) || (campaign && JSON.stringify(campaign) != JSON.stringify(state.c))) {
      state.s = newID();
      state.c = campaign || {};
    }
    state.t = now;
    if (!cookieless) save();
  }

  function campaignOf(url) {
    var q = new URL(url).searchParams;
    var found = null;
    PARAMS.forEach(function (p, i) {
      var v = q.get(p);
      if (v) (found = found || {})[FIELDS[i]] = v;
    });
    return found;
  }

  function sameSite(host, domain) { return host == domain || host.slice(-domain.length - 1) == '.' + domain; }
  function linked(host) { return domains.some(function (dom) { return sameSite(host, dom); }); }

  // cut bounds text to the server's byte limits (it refuses, never truncates, what is longer).
  function cut(s, bytes) {
    s = String(s);
    while (new TextEncoder().encode(s).length > bytes) s = s.slice(0, -1);
    return s;
  }

  function send(type, props) {
    if (off) return;
    var body = {
      key: key, eventType: type, url: cut(location.href, 2048), referrer: cut(referrer, 2048),
      title: cut(d.title, 1000), screen: screen.width + 'x' + screen.height, language: cut(nav.language || '', 35)
    };
    for (var f in state.c) body[f] = cut(state.c[f], 200);
    if (cookieless) body.cookieless = true;
    else (body.visitorId = state.v), (body.sessionId = state.s);
    if (user) body.userId = user;
    PROPS.forEach(function (p) { if (props && props[p] != null) body[p] = props[p]; });
    var json = JSON.stringify(body);
    // sendBeacon survives the page being unloaded (an outbound click, a form that navigates); fetch with
    // keepalive where it is missing or refuses. text/plain keeps both free of a CORS preflight.
    if (!(nav.sendBeacon && nav.sendBeacon(endpoint, json))) {
      fetch(endpoint, { method: 'POST', body: json, keepalive: true, credentials: 'omit', headers: { 'Content-Type': 'text/plain' } })
        .catch(function () { /* offline: the hit is lost, the page goes on */ });
    }
  }

  function track(type, props) {
    if (props && props.userId) user = String(props.userId);
    session(null);
    send(type, props);
  }

  function page() {
    var url = location.href;
    var id = has('hash') ? url : url.split('#')[0];
    if (id == lastPage) return;
    session(campaignOf(url));
    send('page_view');
    lastPage = id;
    referrer = url; // the next single-page-app view came from this one: internal navigation, not a new referral
  }

  // arrive adopts the ids a decorated link from a linked domain carried (_mos=visitor.session.time), and takes
  // the parameter out of the address bar so that it is neither bookmarked nor shared.
  function arrive() {
    var url = new URL(location.href);
    var link = /^([\w-]+)\.([\w-]+)\.(\w+)$/.exec(url.searchParams.get('_mos') || '');
    if (!link) return;
    url.searchParams.delete('_mos');
    replaceState.call(history, history.state, '', url.href);
    if (Math.abs(Date.now() / 1000 - parseInt(link[3], 36)) < LINK_MAX_AGE_S && !cookieless) {
      referrer = ''; // the visit goes on: the site the link was on is no referral
      state = load();
      state.v = link[1];
      state.s = link[2];
      state.t = Date.now();
      save();
    }
  }

  function click(e) {
    var target = e.target;
    if (!target.closest) return;
    var tagged = target.closest('[data-mos-event]');
    if (tagged) track(tagged.getAttribute('data-mos-event'));
    var a = target.closest('a[href]');
    if (!a || !/^https?:$/.test(a.protocol)) return;
    if (linked(a.hostname) && !cookieless && state.v) {
      var url = new URL(a.href);
      url.searchParams.set('_mos', state.v + '.' + state.s + '.' + Math.floor(Date.now() / 1000).toString(36));
      a.href = url.href;
    }
    if (has('outbound')) {
      var meta = { metadata: { url: cut(a.href, 2048) } };
      if (DOWNLOAD.test(a.pathname)) track('file_download', meta);
      else if (!sameSite(a.hostname, location.hostname)) track('outbound_link', meta);
    }
  }

  var mos = safe(function (name, props) {
    if (name == 'identify') return mos.identify(props);
    track(cut(name, 64).toLowerCase(), props);
  });
  mos.identify = safe(function (userId) {
    user = userId == null ? '' : String(userId);
    if (user) track('identify');
  });
  mos.visitorId = function () { return cookieless ? '' : state.v || ''; };
  mos.loaded = true;
  w.mos = mos;

  safe(function () {
    arrive();
    // A page reached from a linked domain (or back from one) continues the visit: that referrer is no referral.
    try { if (linked(new URL(referrer).hostname)) referrer = ''; } catch (e) { /* no referrer */ }
    ['pushState', 'replaceState'].forEach(function (method) {
      var original = history[method];
      history[method] = function () {
        var result = original.apply(this, arguments);
        safe(page)();
        return result;
      };
    });
    w.addEventListener('popstate', safe(page));
    if (has('hash')) w.addEventListener('hashchange', safe(page));
    d.addEventListener('click', safe(click), true);
    d.addEventListener('auxclick', safe(click), true);
    if (d.prerendering) d.addEventListener('prerenderingchange', safe(page), { once: true });
    else page();
    ((stub && stub.q) || []).forEach(function (args) { mos.apply(null, args); });
  })();
})(window, document, navigator);
