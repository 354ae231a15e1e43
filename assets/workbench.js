// alue workbench: the plan lives here (with undo/redo and browser storage); every figure, table
// and map comes from the server, which renders them with the report's own code.
(function () {
  'use strict';
  var B = document.body;
  var INSTANCE = B.dataset.instance;
  var LANG = B.dataset.lang;
  var tokenMeta = document.querySelector('meta[name="alue-token"]');
  var HEADERS = { 'Content-Type': 'application/json' };
  if (tokenMeta) HEADERS['X-Alue-Token'] = tokenMeta.content;
  var KEY = 'alue.plan.' + INSTANCE;
  var HISTORY_MAX = 200;
  var STORED_HISTORY = 60;
  var WORDS = {
    fi: { queued: 'jonossa', running: 'ratkaistaan', done: 'valmis', cancelled: 'keskeytetty', failed: 'epäonnistui', incumbent: 'paras', bound: 'alaraja', gap: 'väli', ahead: 'edellä', area: 'Alue', hub: 'keskuskunta', locked: 'lukittu', forbidden: 'ei keskuskunnaksi', load: 'Avaa', del: 'Poista', cmp: 'Vertaa', saved: 'tallennettu', nothing_selected: 'Valitse kunta kartalta tai listasta.', confirm_delete: 'Poistetaanko suunnitelma', no_partition: 'ei aluejakoa' },
    en: { queued: 'queued', running: 'solving', done: 'done', cancelled: 'cancelled', failed: 'failed', incumbent: 'incumbent', bound: 'bound', gap: 'gap', ahead: 'ahead', area: 'Area', hub: 'hub', locked: 'locked', forbidden: 'not a hub', load: 'Load', del: 'Delete', cmp: 'Compare', saved: 'saved', nothing_selected: 'Select a municipality on the map or in the list.', confirm_delete: 'Delete plan', no_partition: 'no partition' }
  }[LANG];
  var NF = new Intl.NumberFormat(LANG === 'fi' ? 'fi-FI' : 'en-GB', { maximumFractionDigits: 0 });
  var PF = new Intl.NumberFormat(LANG === 'fi' ? 'fi-FI' : 'en-GB', { maximumFractionDigits: 3 });

  function $(id) { return document.getElementById(id); }
  function clone(x) { return JSON.parse(JSON.stringify(x)); }

  var info = null;
  var units = {};
  var plan = null;
  var undoStack = [];
  var redoStack = [];
  var selected = null;
  var seq = 0;
  var shown = 0;
  var solution = null;
  var job = null;
  var panZoom = null;

  function api(method, path, body, raw) {
    var opts = { method: method, headers: Object.assign({}, HEADERS) };
    if (body !== undefined) opts.body = raw ? body : JSON.stringify(body);
    if (raw) opts.headers['Content-Type'] = 'text/csv';
    return fetch(path, opts).then(function (r) {
      return r.text().then(function (text) {
        var data;
        try { data = JSON.parse(text); } catch (e) { data = { error: text }; }
        if (!r.ok) {
          var err = new Error(data.error || r.statusText);
          err.field = data.field; err.status = r.status;
          throw err;
        }
        return data;
      });
    });
  }

  // ---- the plan and its operations ------------------------------------------------------
  function list(p, key) {
    var v = p.scenario[key];
    if (v === undefined || v === null || v === '') return [];
    return (Array.isArray(v) ? v : String(v).split(',')).map(function (s) { return Array.isArray(s) ? s.join(':') : String(s).trim(); }).filter(Boolean);
  }
  function setList(p, key, l) { if (l.length) p.scenario[key] = l; else delete p.scenario[key]; }
  function members(p, hub) { return Object.keys(p.assignment).filter(function (c) { return p.assignment[c] === hub; }); }
  function labour(code) { var u = units[code]; return (u && u.values && u.values.labour_force) || 0; }
  function lockOf(p, code) { return list(p, 'fixed').some(function (s) { return s.split(':')[0] === code; }); }
  function forbidden(p, code) { return list(p, 'hubs_forbidden').indexOf(code) >= 0; }

  // The area served from oldHub is served from newHub; names and locks follow.
  function rehub(p, oldHub, newHub) {
    Object.keys(p.assignment).forEach(function (c) { if (p.assignment[c] === oldHub) p.assignment[c] = newHub; });
    if (p.names[oldHub] !== undefined) { p.names[newHub] = p.names[oldHub]; delete p.names[oldHub]; }
    setList(p, 'fixed', list(p, 'fixed').map(function (s) { var u = s.split(':'); return u[1] === oldHub ? u[0] + ':' + newHub : s; }));
  }
  function moved(p, code, hub) {
    var n = clone(p);
    if (n.assignment[code] === code) {
      var rest = members(n, code).filter(function (c) { return c !== code; });
      if (rest.length) rehub(n, code, rest.reduce(function (a, b) { return labour(b) > labour(a) ? b : a; }));
    }
    setList(n, 'fixed', list(n, 'fixed').filter(function (s) { return s.split(':')[0] !== code; }));
    if (hub === null) {
      n.assignment[code] = code;
      n.names[code] = units[code].name;
    } else {
      n.assignment[code] = hub;
    }
    return n;
  }
  function withHub(p, code) {
    var n = clone(p);
    var old = n.assignment[code];
    if (old !== code) rehub(n, old, code);
    return n;
  }
  function withLockToggled(p, code) {
    var n = clone(p);
    var l = list(n, 'fixed');
    if (lockOf(n, code)) l = l.filter(function (s) { return s.split(':')[0] !== code; });
    else l.push(code + ':' + n.assignment[code]);
    setList(n, 'fixed', l);
    return n;
  }
  function withForbidToggled(p, code) {
    var n = clone(p);
    var l = list(n, 'hubs_forbidden');
    if (l.indexOf(code) >= 0) l = l.filter(function (c) { return c !== code; });
    else l.push(code);
    setList(n, 'hubs_forbidden', l);
    return n;
  }

  // ---- history ---------------------------------------------------------------------------
  function store() {
    try {
      localStorage.setItem(KEY, JSON.stringify({ plan: plan, undo: undoStack.slice(-STORED_HISTORY), redo: redoStack.slice(-STORED_HISTORY) }));
    } catch (e) { /* storage full or off: the plan still lives in the page */ }
  }
  function restore() {
    try { var s = JSON.parse(localStorage.getItem(KEY) || 'null'); if (s && s.plan && s.plan.assignment) return s; } catch (e) { }
    return null;
  }
  function buttons() {
    $('undo').disabled = !undoStack.length;
    $('redo').disabled = !redoStack.length;
  }
  // Make `next` the plan; an evaluation error on a parameter puts the old plan back.
  function commit(next, field) {
    undoStack.push(plan);
    if (undoStack.length > HISTORY_MAX) undoStack.shift();
    redoStack = [];
    plan = next;
    store(); buttons();
    return evaluate().then(function (err) {
      if (err && field && err.field === 'scenario.' + field) {
        plan = undoStack.pop();
        store(); buttons();
        paramError(field, err.message);
      }
    });
  }
  function undo() { if (!undoStack.length) return; redoStack.push(plan); plan = undoStack.pop(); store(); buttons(); evaluate(); }
  function redo() { if (!redoStack.length) return; undoStack.push(plan); plan = redoStack.pop(); store(); buttons(); evaluate(); }

  // ---- talking to the server -------------------------------------------------------------
  function request() {
    return Object.assign(clone(plan), { lang: LANG, palette: $('palette').value, compare: $('compare').value || null });
  }
  function evaluate() {
    var my = ++seq;
    B.setAttribute('aria-busy', 'true');
    return api('POST', '/api/evaluate', request()).then(function (v) {
      if (my !== seq) return null;
      show(v);
      return null;
    }, function (e) {
      if (my !== seq) return e;
      B.removeAttribute('aria-busy');
      showError(e);
      return e;
    });
  }
  function showError(e) {
    var el = $('error');
    el.textContent = e.message || String(e);
    el.hidden = false;
  }
  function setHTML(id, html) { $(id).innerHTML = html || ''; }

  function setMap(html) {
    var view = null;
    if (panZoom) { view = { zoom: panZoom.getZoom(), pan: panZoom.getPan() }; panZoom.destroy(); panZoom = null; }
    setHTML('map-box', html);
    var svg = $('map-main');
    if (svg && window.svgPanZoom) {
      panZoom = window.svgPanZoom(svg, { zoomEnabled: true, controlIconsEnabled: true, dblClickZoomEnabled: false, fit: true, center: true, minZoom: 0.8, maxZoom: 20 });
      if (view) { panZoom.zoom(view.zoom); panZoom.pan(view.pan); }
    }
  }

  function show(v) {
    solution = v.solution;
    var h = v.html || {};
    $('error').hidden = true;
    document.querySelectorAll('tr.perr').forEach(function (r) { r.hidden = true; });
    setHTML('facts', h.facts);
    setHTML('violations', h.violations);
    if (h.map) setMap(h.map);
    setHTML('areas', h.areas);
    setHTML('municipalities', h.municipalities);
    setHTML('compare-box', h.compare);
    var cm = $('compare-map-box');
    cm.hidden = !h.compare_map;
    setHTML('compare-map-box', h.compare_map);
    marks(v.violated_areas || []);
    if (solution && solution.scenario) fillParams(solution.scenario);
    describe();
    shown += 1;
    B.dataset.shown = String(shown);
    // When the last result was in the page, ms since navigation (alue bench serve reads it).
    B.dataset.shownAt = String(Math.round(performance.now()));
    B.removeAttribute('aria-busy');
  }

  // ---- the map ---------------------------------------------------------------------------
  function marks(violated) {
    var bad = {};
    violated.forEach(function (h) { bad[h] = true; });
    document.querySelectorAll('#map-box [data-code].unit').forEach(function (el) {
      var c = el.getAttribute('data-code');
      el.classList.toggle('selected', c === selected);
      el.classList.toggle('locked', lockOf(plan, c));
      el.classList.toggle('forbidden', forbidden(plan, c));
    });
    document.querySelectorAll('#map-box .outline[data-area]').forEach(function (el) {
      el.classList.toggle('violated', !!bad[el.getAttribute('data-area')]);
    });
  }
  function areaName(hub) {
    var a = solution && solution.areas ? solution.areas.filter(function (x) { return x.hub === hub; })[0] : null;
    return a ? a.area : (plan.names[hub] || (units[hub] ? units[hub].name : hub));
  }
  function select(code) {
    selected = code && units[code] ? code : null;
    $('unit').value = selected || '';
    describe();
    marks(solution ? (lastViolated()) : []);
  }
  function lastViolated() {
    var out = [];
    document.querySelectorAll('#map-box .outline.violated').forEach(function (el) { out.push(el.getAttribute('data-area')); });
    return out;
  }
  function describe() {
    var info = $('sel-info');
    var ids = ['move', 'new-area', 'lock', 'make-hub', 'forbid-hub', 'move-to'];
    ids.forEach(function (id) { $(id).disabled = !selected; });
    if (!selected) { info.textContent = WORDS.nothing_selected; $('move-to').innerHTML = ''; return; }
    var hub = plan.assignment[selected];
    var bits = [units[selected].name + ' (' + selected + ')', WORDS.area + ': ' + areaName(hub), WORDS.hub + ': ' + (units[hub] ? units[hub].name : hub)];
    if (lockOf(plan, selected)) bits.push(WORDS.locked);
    if (forbidden(plan, selected)) bits.push(WORDS.forbidden);
    info.textContent = bits.join(' · ');
    $('lock').setAttribute('aria-pressed', String(lockOf(plan, selected)));
    $('forbid-hub').setAttribute('aria-pressed', String(forbidden(plan, selected)));
    $('make-hub').disabled = hub === selected;
    var hubs = {};
    Object.keys(plan.assignment).forEach(function (c) { hubs[plan.assignment[c]] = true; });
    var opts = Object.keys(hubs).filter(function (h) { return h !== hub; }).map(function (h) { return [areaName(h), h]; });
    opts.sort(function (a, b) { return a[0].localeCompare(b[0]); });
    var sel = $('move-to');
    sel.innerHTML = '';
    opts.forEach(function (o) { var op = document.createElement('option'); op.value = o[1]; op.textContent = o[0]; sel.appendChild(op); });
  }

  // ---- actions ---------------------------------------------------------------------------
  function moveSelected() { if (selected && $('move-to').value) commit(moved(plan, selected, $('move-to').value)); }
  function newArea() { if (selected && !(plan.assignment[selected] === selected && members(plan, selected).length === 1)) commit(moved(plan, selected, null)); }
  function lock() { if (selected) commit(withLockToggled(plan, selected)); }
  function makeHub() { if (selected && plan.assignment[selected] !== selected) commit(withHub(plan, selected)); }
  function forbid() { if (selected) commit(withForbidToggled(plan, selected)); }

  function progressText(v) {
    var p = v.progress || {};
    var bits = [WORDS[v.state] || v.state];
    if (v.state === 'queued' && v.ahead) bits.push(v.ahead + ' ' + WORDS.ahead);
    if (v.state !== 'queued') bits.push(PF.format(v.elapsed_s || 0) + ' s');
    if (p.phase) bits.push(p.phase);
    if (p.incumbent !== undefined && p.incumbent !== null) bits.push(WORDS.incumbent + ' ' + NF.format(p.incumbent));
    if (p.bound !== undefined && p.bound !== null) bits.push(WORDS.bound + ' ' + NF.format(p.bound));
    if (p.gap !== undefined && p.gap !== null) bits.push(WORDS.gap + ' ' + PF.format(100 * p.gap) + ' %');
    return bits.join(' · ');
  }
  // The finished solve's own figures (the last snapshot may predate the proof).
  function finalText(v, s) {
    var bits = [WORDS.done, PF.format(v.elapsed_s || 0) + ' s', WORDS.incumbent + ' ' + NF.format(s.objective)];
    if (s.bound !== null && s.bound !== undefined) bits.push(WORDS.bound + ' ' + NF.format(s.bound));
    if (s.gap !== null && s.gap !== undefined) bits.push(WORDS.gap + ' ' + PF.format(100 * s.gap) + ' %');
    return bits.join(' · ');
  }
  function endJob() { job = null; $('cancel').hidden = true; $('optimise').disabled = false; }
  function optimise() {
    if (job) return;
    $('optimise').disabled = true;
    api('POST', '/api/solve', request()).then(function (r) {
      job = r.job;
      $('cancel').hidden = false;
      $('progress').textContent = WORDS.queued;
      poll(r.job, -1);
    }, function (e) { $('optimise').disabled = false; showError(e); });
  }
  function poll(id, after) {
    if (job !== id) return;
    api('GET', '/api/jobs/' + id + '?after=' + after).then(function (v) {
      if (job !== id) return;
      $('progress').textContent = progressText(v);
      if (v.state === 'done') { endJob(); result(v.result, v); return; }
      if (v.state === 'cancelled' || v.state === 'failed') { endJob(); if (v.error) showError({ message: v.error }); return; }
      poll(id, v.version);
    }, function (e) { endJob(); showError(e); });
  }
  function result(res, v) {
    var s = res.solution || {};
    if (!s.partition_found) {
      $('progress').textContent = WORDS.done + ' · ' + PF.format(v.elapsed_s || 0) + ' s · ' + (s.message || WORDS.no_partition);
      return;
    }
    var next = clone(plan);
    next.assignment = s.assignment;
    next.names = {};
    (s.areas || []).forEach(function (a) { next.names[a.hub] = a.area; });
    undoStack.push(plan);
    redoStack = [];
    plan = next;
    store(); buttons();
    $('progress').textContent = finalText(v, s);
    if ($('compare').value) evaluate(); else show(res);
  }
  function cancel() { if (job) api('POST', '/api/jobs/' + job + '/cancel'); }

  // ---- parameters ------------------------------------------------------------------------
  function scenarioValue(sc, key) {
    var dot = key.indexOf('.');
    var v = dot > 0 ? (sc[key.slice(0, dot)] || {})[key.slice(dot + 1)] : sc[key];
    if (v === undefined || v === null) return key === 'travel_attribute' ? 'none' : '';
    if (Array.isArray(v)) return v.map(function (x) { return Array.isArray(x) ? x.join(':') : x; }).join(',');
    if (typeof v === 'number') return LANG === 'fi' ? String(v).replace('.', ',') : String(v);
    return String(v);
  }
  function fillParams(sc) {
    document.querySelectorAll('#params [data-key]').forEach(function (el) {
      var key = el.dataset.key;
      if (el.dataset.kind === 'bool') el.checked = !!sc[key];
      else if (document.activeElement !== el || el.tagName === 'SELECT') el.value = scenarioValue(sc, key);
      var row = el.closest('tr');
      if (row) row.classList.toggle('changed', Object.prototype.hasOwnProperty.call(plan.scenario, key));
    });
  }
  function paramError(key, message) {
    var row = document.querySelector('tr[data-error-for="' + key + '"]');
    if (!row) { showError({ message: message }); return; }
    row.firstElementChild.textContent = message;
    row.hidden = false;
    $('error').hidden = true;
  }
  function paramValue(el) {
    if (el.dataset.kind === 'bool') return el.checked;
    var t = el.value.trim();
    if (t === '') return undefined;
    if (el.dataset.kind === 'number') {
      var plain = LANG === 'fi' ? t.replace(/[\s\u00a0]/g, '').replace(',', '.') : t.replace(/[\s,]/g, '');
      var n = Number(plain);
      if (plain !== '' && /^[-+]?[0-9.]+(e[-+]?[0-9]+)?$/i.test(plain) && isFinite(n)) return n;
    }
    return t;
  }
  function paramChanged(el) {
    var key = el.dataset.key;
    var next = clone(plan);
    var v = paramValue(el);
    if (v === undefined) delete next.scenario[key]; else next.scenario[key] = v;
    commit(next, key);
  }
  function paramReset(key) {
    if (!Object.prototype.hasOwnProperty.call(plan.scenario, key)) return;
    var next = clone(plan);
    delete next.scenario[key];
    commit(next, key);
  }

  // ---- plans, downloads, upload ----------------------------------------------------------
  function refreshPlans() {
    return api('GET', '/api/plans').then(function (r) {
      var ul = $('plan-list');
      ul.innerHTML = '';
      var cmp = $('compare');
      var keep = cmp.value;
      Array.prototype.slice.call(cmp.options).forEach(function (o) { if (o.value.indexOf('plan:') === 0) o.remove(); });
      r.plans.forEach(function (p) {
        var li = document.createElement('li');
        li.dataset.plan = p.name;
        var name = document.createElement('span');
        name.textContent = p.name + (p.instance !== INSTANCE ? ' (' + p.instance + ')' : '');
        li.appendChild(name);
        [[WORDS.load, function () { loadPlan(p.name); }], [WORDS.del, function () { deletePlan(p.name); }]].forEach(function (b) {
          var btn = document.createElement('button');
          btn.type = 'button'; btn.textContent = b[0]; btn.addEventListener('click', b[1]);
          li.appendChild(btn);
        });
        ul.appendChild(li);
        if (p.instance === INSTANCE) {
          var o = document.createElement('option');
          o.value = 'plan:' + p.name; o.textContent = p.name;
          cmp.appendChild(o);
        }
      });
      cmp.value = keep;
      if (cmp.value !== keep) cmp.value = '';
    }, showError);
  }
  function savePlan() {
    var name = $('plan-name').value.trim();
    api('PUT', '/api/plans/' + encodeURIComponent(name), plan).then(function () {
      $('progress').textContent = name + ': ' + WORDS.saved;
      return refreshPlans();
    }, showError);
  }
  function loadPlan(name) {
    api('GET', '/api/plans/' + encodeURIComponent(name)).then(function (f) {
      if (f.plan.instance === INSTANCE) { $('plan-name').value = name; commit(f.plan); return; }
      try { localStorage.setItem('alue.plan.' + f.plan.instance, JSON.stringify({ plan: f.plan, undo: [], redo: [] })); } catch (e) { }
      location.search = '?instance=' + encodeURIComponent(f.plan.instance) + '&lang=' + LANG;
    }, showError);
  }
  function deletePlan(name) {
    if (!window.confirm(WORDS.confirm_delete + ' ' + name + '?')) return;
    api('DELETE', '/api/plans/' + encodeURIComponent(name)).then(refreshPlans, showError);
  }
  function download(file) {
    fetch('/api/download/' + file, { method: 'POST', headers: HEADERS, body: JSON.stringify(request()) }).then(function (r) {
      if (!r.ok) return r.json().then(function (d) { throw new Error(d.error); });
      return r.blob().then(function (blob) {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = file;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 2000);
      });
    }).catch(showError);
  }
  function upload(input) {
    var f = input.files && input.files[0];
    if (!f) return;
    f.text().then(function (text) {
      return api('POST', '/api/upload/' + encodeURIComponent(INSTANCE), text, true);
    }).then(function (p) {
      var next = clone(plan);
      next.assignment = p.assignment;
      next.names = p.names;
      commit(next);
    }, showError).then(function () { input.value = ''; });
  }

  // ---- wiring ----------------------------------------------------------------------------
  function wire() {
    $('map-box').addEventListener('click', function (ev) {
      var el = ev.target.closest && ev.target.closest('[data-code]');
      if (el) select(el.getAttribute('data-code'));
    });
    $('unit').addEventListener('change', function () { select($('unit').value); });
    $('move').addEventListener('click', moveSelected);
    $('new-area').addEventListener('click', newArea);
    $('lock').addEventListener('click', lock);
    $('make-hub').addEventListener('click', makeHub);
    $('forbid-hub').addEventListener('click', forbid);
    $('undo').addEventListener('click', undo);
    $('redo').addEventListener('click', redo);
    $('optimise').addEventListener('click', optimise);
    $('cancel').addEventListener('click', cancel);
    $('save').addEventListener('click', savePlan);
    $('plan-name').addEventListener('keydown', function (ev) { if (ev.key === 'Enter') savePlan(); });
    $('compare').addEventListener('change', function () { evaluate(); });
    $('palette').addEventListener('change', function () {
      try { localStorage.setItem('alue.palette', $('palette').value); } catch (e) { }
      evaluate();
    });
    $('instance').addEventListener('change', function () {
      location.search = '?instance=' + encodeURIComponent($('instance').value) + '&lang=' + LANG + (tokenMeta ? '&token=' + tokenMeta.content : '');
    });
    $('upload').addEventListener('change', function () { upload($('upload')); });
    document.querySelectorAll('[data-download]').forEach(function (b) { b.addEventListener('click', function () { download(b.dataset.download); }); });
    document.querySelectorAll('#params [data-key]').forEach(function (el) { el.addEventListener('change', function () { paramChanged(el); }); });
    document.querySelectorAll('#params [data-reset]').forEach(function (b) { b.addEventListener('click', function () { paramReset(b.dataset.reset); }); });
    document.addEventListener('click', function (ev) {
      var th = ev.target.closest && ev.target.closest('table.sortable th');
      if (th) sortBy(th);
    });
    document.addEventListener('keydown', function (ev) {
      var t = ev.target;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var act = { z: undo, Z: redo, l: lock, h: makeHub, f: forbid, n: newArea, o: optimise }[ev.key];
      if (ev.key === 'Escape') act = job ? cancel : function () { select(null); };
      if (!act) return;
      ev.preventDefault();
      act();
    });
  }

  // Click a heading to sort by it (numbers by their exact value); totals stay last.
  function sortBy(th) {
    var t = th.closest('table'), b = t.tBodies[0];
    if (!b) return;
    var c = Array.prototype.indexOf.call(th.parentNode.cells, th);
    var rows = Array.prototype.filter.call(b.rows, function (r) { return !r.classList.contains('total') && !r.classList.contains('subtotal'); });
    var asc = th.getAttribute('data-sort') !== 'asc';
    Array.prototype.forEach.call(th.parentNode.cells, function (x) { x.removeAttribute('data-sort'); });
    th.setAttribute('data-sort', asc ? 'asc' : 'desc');
    rows.sort(function (x, y) {
      var a = x.cells[c], d = y.cells[c];
      if (!a || !d) return 0;
      var u = a.getAttribute('data-value'), v = d.getAttribute('data-value');
      var r = (u !== null && v !== null) ? (parseFloat(u) - parseFloat(v)) : a.textContent.localeCompare(d.textContent);
      return asc ? r : -r;
    });
    Array.prototype.forEach.call(b.querySelectorAll('tr.subtotal'), function (r) { r.remove(); });
    var tot = b.querySelector('tr.total');
    rows.forEach(function (r) { b.insertBefore(r, tot); });
  }

  function init() {
    api('GET', '/api/instances/' + encodeURIComponent(INSTANCE)).then(function (i) {
      info = i;
      i.units.forEach(function (u) { units[u.code] = u; });
      var s = restore();
      plan = s ? s.plan : clone(i.start);
      undoStack = s ? s.undo : [];
      redoStack = s ? s.redo : [];
      try { $('palette').value = localStorage.getItem('alue.palette') || 'distinct'; } catch (e) { }
      wire();
      buttons();
      refreshPlans();
      return evaluate().then(function (err) {
        // A stored plan the server no longer takes (the data changed): start afresh.
        if (err && s && err.status === 400) { plan = clone(i.start); undoStack = []; redoStack = []; store(); buttons(); return evaluate(); }
      });
    }, showError);
  }
  init();
})();
