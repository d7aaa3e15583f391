// OrleansDcos web UI: plain ES module, no build step. Reads the silo's REST APIs, follows /v2/events (SSE) to
// re-render the page on every change, and never puts API text into HTML (all text goes through textContent).

const view = document.getElementById('view');
const notice = document.getElementById('notice');
const live = document.getElementById('live');

// ------------------------------------------------------------------ DOM helpers

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function table(caption, headers, rows, empty = 'None.') {
  if (rows.length === 0) return h('p', { class: 'hint' }, empty);
  return h('div', { class: 'scroll' },
    h('table', {},
      h('caption', { class: 'skip' }, caption),
      h('thead', {}, h('tr', {}, headers.map(x => h('th', { scope: 'col', class: x.num ? 'num' : null }, x.label ?? x)))),
      h('tbody', {}, rows.map(row => h('tr', {}, row.map((cell, i) => i === 0
        ? h('th', { scope: 'row', class: headers[i].num ? 'num' : null }, cell)
        : h('td', { class: headers[i].num ? 'num' : null }, cell)))))));
}

const num = label => ({ label, num: true });
const fmt = n => (n === undefined || n === null) ? '-' : (Math.round(n * 100) / 100).toString();
const stateCell = s => h('span', { class: `state-${s}` }, s ?? '-');
const link = (href, text) => h('a', { href }, text);
const appHref = id => `#/apps/${encodeURIComponent(id)}`;
const taskHref = id => `#/tasks/${encodeURIComponent(id)}`;
const jobHref = name => `#/jobs/${encodeURIComponent(name)}`;

function say(message, kind = 'error') {
  notice.className = kind === 'info' ? 'info' : '';
  notice.textContent = message ?? '';
}

// ------------------------------------------------------------------ API

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `request failed (${status})`);
    this.status = status;
    this.body = body;
    this.details = Array.isArray(body?.details) ? body.details : [];
  }
}

// The login token (when the cluster requires login) lives in this tab's session storage and goes in the
// Authorization header: no cookie carries it, so no other site can make the browser act with it (no CSRF).
const TOKEN = 'orleansdcos.token';
const token = () => sessionStorage.getItem(TOKEN);
const authorization = () => (token() ? { Authorization: `token=${token()}` } : {});

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { ...authorization(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { message: text }; }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

const get = path => api('GET', path);
const operator = type => api('POST', '/api/v1', { type });

function describe(error) {
  if (!(error instanceof ApiError)) return `The silo could not be reached: ${error.message}`;
  const details = error.details.map(d => `${d.path}: ${(d.errors ?? []).join(', ')}`).join('; ');
  return `${error.message}${details ? ` — ${details}` : ''} (HTTP ${error.status})`;
}

// Runs an action from a button: shows what failed, and refreshes the page when it succeeded.
async function act(label, action) {
  try {
    const result = await action();
    say(label, 'info');
    await render();
    return result;
  } catch (error) {
    say(describe(error));
    return undefined;
  }
}

// ------------------------------------------------------------------ resources

const scalar = (resources, name) => {
  if (!resources) return 0;
  if (Array.isArray(resources)) return resources.filter(r => r.name === name).reduce((sum, r) => sum + (r.scalar?.value ?? 0), 0);
  const value = resources[name];
  return typeof value === 'number' ? value : 0;
};
const RESOURCES = [['cpus', 'CPUs'], ['mem', 'Memory (MB)'], ['disk', 'Disk (MB)'], ['gpus', 'GPUs']];

// ------------------------------------------------------------------ views

async function overview() {
  const state = await get('/master/state');
  const agents = state.slaves ?? [];
  const frameworks = state.frameworks ?? [];
  const tasks = frameworks.flatMap(f => f.tasks ?? []);
  const ended = frameworks.flatMap(f => f.completed_tasks ?? []);
  const byState = new Map();
  for (const t of [...tasks, ...ended]) byState.set(t.state, (byState.get(t.state) ?? 0) + 1);
  const sum = (key, name) => agents.reduce((s, a) => s + scalar(a[key], name), 0);
  return [
    h('h1', {}, 'Overview'),
    h('div', { class: 'cards' },
      card(`${agents.filter(a => a.active).length}/${agents.length}`, 'agents active', '#/agents'),
      card(frameworks.length, 'frameworks', '#/frameworks'),
      card(tasks.length, 'live tasks', '#/tasks'),
      card(state.leader_info?.hostname ?? state.hostname ?? '-', 'leading silo')),
    h('h2', { id: 'resources' }, 'Resources'),
    table('Resources used, offered and total', ['Resource', num('Used'), num('Offered'), num('Total')],
      RESOURCES.map(([name, label]) => [label, fmt(sum('used_resources', name)), fmt(sum('offered_resources', name)), fmt(sum('resources', name))])),
    h('h2', {}, 'Tasks by state'),
    table('Tasks by state', ['State', num('Tasks')], [...byState.entries()].sort().map(([s, n]) => [stateCell(s), n]), 'No tasks yet.'),
  ];
}

function card(value, label, href) {
  const body = [h('div', { class: 'value' }, value), h('div', { class: 'label' }, label)];
  return h('div', { class: 'card' }, href ? h('a', { href, 'aria-label': `${value} ${label}` }, body) : body);
}

async function agents() {
  const answer = await operator('GET_AGENTS');
  const list = answer.get_agents?.agents ?? [];
  return [
    h('h1', {}, 'Agents'),
    table('Agents', ['Host', 'Status', num('CPUs'), num('Memory (MB)'), num('Disk (MB)'), 'Id', 'Actions'], list.map(a => {
      const id = a.agent_info?.id?.value ?? '';
      const host = a.agent_info?.hostname ?? id;
      const draining = a.drain_info?.state;
      const status = draining ? draining.toLowerCase() : a.deactivated ? 'deactivated' : a.active ? 'active' : 'disconnected';
      const pair = name => `${fmt(scalar(a.allocated_resources, name))} / ${fmt(scalar(a.total_resources, name))}`;
      return [host, h('span', { class: status === 'active' ? 'ok' : 'warn' }, status), pair('cpus'), pair('mem'), pair('disk'), h('code', {}, id),
        h('div', { class: 'actions' },
          !draining && !a.deactivated ? h('button', { type: 'button', onclick: () => act(`Draining ${host}`, () => api('POST', `/master/agents/${encodeURIComponent(id)}/drain`)) }, `Drain ${host}`) : null,
          draining || a.deactivated ? h('button', { type: 'button', onclick: () => act(`Reactivated ${host}`, () => api('POST', `/master/agents/${encodeURIComponent(id)}/reactivate`)) }, `Reactivate ${host}`) : null)];
    }), 'No agents have registered.'),
  ];
}

async function frameworks() {
  const state = await get('/master/frameworks');
  const rows = [...(state.frameworks ?? []).map(f => [f, false]), ...(state.completed_frameworks ?? []).map(f => [f, true])];
  return [
    h('h1', {}, 'Frameworks'),
    table('Frameworks', ['Name', 'Status', 'Role', num('Tasks'), num('CPUs'), num('Memory (MB)'), 'Id'], rows.map(([f, ended]) => [
      f.name, ended ? 'ended' : f.active ? 'active' : 'inactive', f.role ?? (f.roles ?? []).join(', '), (f.tasks ?? []).length,
      fmt(scalar(f.used_resources, 'cpus')), fmt(scalar(f.used_resources, 'mem')), h('code', {}, f.id)])),
  ];
}

// ---- apps

const FIELDS = ['id', 'cmd', 'image', 'cpus', 'mem', 'instances', 'json'];

function deployForm() {
  const field = (name, label, input, hint) => h('div', { class: `field${name === 'json' || name === 'cmd' ? ' wide' : ''}` },
    h('label', { for: `app-${name}` }, label), input, hint ? h('span', { class: 'hint', id: `app-${name}-hint` }, hint) : null,
    h('span', { class: 'error', id: `app-${name}-error`, 'aria-live': 'polite' }));
  const input = (name, attributes) => h('input', { id: `app-${name}`, name, 'aria-describedby': `app-${name}-error`, ...attributes });
  const form = h('form', { class: 'deploy', 'aria-labelledby': 'deploy-heading', novalidate: true, onsubmit: event => { event.preventDefault(); deploy(form); } },
    h('h2', { id: 'deploy-heading', class: 'wide' }, 'Deploy an app'),
    field('id', 'App id', input('id', { required: true, placeholder: '/team/web', autocomplete: 'off' })),
    field('cpus', 'CPUs', input('cpus', { type: 'number', step: 'any', value: '0.1' })),
    field('mem', 'Memory (MB)', input('mem', { type: 'number', step: 'any', value: '32' })),
    field('instances', 'Instances', input('instances', { type: 'number', step: '1', value: '1' })),
    field('cmd', 'Command', input('cmd', { placeholder: 'httpd -f -p $PORT0', autocomplete: 'off' })),
    field('image', 'Docker image (optional)', input('image', { placeholder: 'busybox', autocomplete: 'off' })),
    field('json', 'More of the definition (JSON, optional)', h('textarea', { id: 'app-json', name: 'json', rows: 3, 'aria-describedby': 'app-json-error app-json-hint', placeholder: '{"env": {"GREETING": "hi"}, "portDefinitions": [{"port": 0}]}' }),
      'Merged into the app definition; the fields above win.'),
    h('div', { class: 'wide actions' }, h('button', { type: 'submit', class: 'primary' }, 'Deploy')));
  return form;
}

function clearErrors(form) {
  for (const name of FIELDS) {
    form.querySelector(`#app-${name}-error`).textContent = '';
    form.querySelector(`#app-${name}`).removeAttribute('aria-invalid');
  }
}

function showError(form, name, message) {
  const known = FIELDS.includes(name) ? name : 'json';
  const error = form.querySelector(`#app-${known}-error`);
  error.textContent = error.textContent ? `${error.textContent}; ${message}` : message;
  form.querySelector(`#app-${known}`).setAttribute('aria-invalid', 'true');
}

async function deploy(form) {
  clearErrors(form);
  say('');
  const value = name => form.querySelector(`#app-${name}`).value.trim();
  let app = {};
  if (value('json')) {
    try { app = JSON.parse(value('json')); } catch (error) { showError(form, 'json', `not valid JSON: ${error.message}`); return; }
    if (typeof app !== 'object' || Array.isArray(app) || app === null) { showError(form, 'json', 'must be a JSON object'); return; }
  }
  const numeric = name => { const text = value(name); return text === '' ? undefined : Number(text); };
  app.id = value('id');
  if (value('cmd')) app.cmd = value('cmd');
  if (value('image')) app.container = { type: 'DOCKER', docker: { image: value('image') } };
  for (const name of ['cpus', 'mem', 'instances']) if (numeric(name) !== undefined) app[name] = numeric(name);
  try {
    await api('POST', '/v2/apps', app);
    say(`Deploying ${app.id}`, 'info');
    form.reset();
    await render();
  } catch (error) {
    if (error instanceof ApiError && error.details.length > 0) {
      for (const detail of error.details) {
        const name = (detail.path ?? '').replace(/^\//, '').split('/')[0];
        const mapped = name === 'container' ? 'image' : name;
        showError(form, mapped, `${detail.path}: ${(detail.errors ?? []).join(', ')}`);
      }
      say(`${error.message}: see the fields marked below`);
      form.querySelector('[aria-invalid="true"]')?.focus();
    } else {
      if (error instanceof ApiError && error.status === 409) showError(form, 'id', error.message);
      say(describe(error));
    }
  }
}

async function apps() {
  const answer = await get('/v2/apps?embed=apps.lastTaskFailure');
  const list = answer.apps ?? [];
  const form = document.querySelector('form.deploy') ?? deployForm();
  return [
    h('h1', {}, 'Apps'),
    form,
    h('h2', {}, 'Running apps'),
    table('Marathon apps', ['App', num('Running'), 'Health', 'Version', 'Deployment', 'Actions'], list.map(a => {
      const checks = (a.healthChecks ?? []).length > 0;
      const scaleId = `scale-${a.id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
      return [
        link(appHref(a.id), a.id),
        h('span', { 'data-app-running': a.id }, `${a.tasksRunning ?? 0}/${a.instances}`),
        checks ? `${a.tasksHealthy ?? 0} healthy, ${a.tasksUnhealthy ?? 0} unhealthy` : 'no checks',
        a.version ?? '-',
        (a.deployments ?? []).length ? h('a', { href: '#/deployments', class: 'warn' }, 'in progress') : '-',
        h('div', { class: 'actions' },
          h('label', { for: scaleId, class: 'skip' }, `Instances for ${a.id}`),
          h('input', { id: scaleId, class: 'instances', type: 'number', min: 0, step: 1, value: a.instances }),
          h('button', { type: 'button', onclick: () => {
            const instances = Number(document.getElementById(scaleId).value);
            return act(`Scaling ${a.id} to ${instances}`, () => api('PATCH', `/v2/apps${a.id}`, { instances }));
          } }, `Scale ${a.id}`),
          h('button', { type: 'button', onclick: () => act(`Restarting ${a.id}`, () => api('POST', `/v2/apps${a.id}/restart`)) }, `Restart ${a.id}`),
          h('button', { type: 'button', class: 'danger', onclick: () => confirm(`Destroy ${a.id} and all its tasks?`) && act(`Destroying ${a.id}`, () => api('DELETE', `/v2/apps${a.id}`)) }, `Destroy ${a.id}`)),
      ];
    }), 'No apps yet: deploy one above.'),
  ];
}

async function app(id) {
  const [answer, versions] = await Promise.all([get(`/v2/apps${id}?embed=app.lastTaskFailure`), get(`/v2/apps${id}/versions`)]);
  const a = answer.app;
  const failure = a.lastTaskFailure;
  return [
    h('h1', {}, `App ${a.id}`),
    h('p', {}, `${a.tasksRunning ?? 0} of ${a.instances} running · ${a.tasksStaged ?? 0} staging · ${a.tasksHealthy ?? 0} healthy · version ${a.version}`),
    failure ? h('p', { class: 'bad' }, `Last failure: ${failure.state} ${failure.message} at ${failure.timestamp}`) : null,
    h('h2', {}, 'Tasks'),
    table(`Tasks of ${a.id}`, ['Task', 'State', 'Host', 'Ports', 'Started', 'Health'], (a.tasks ?? []).map(t => [
      link(taskHref(t.id), t.id), stateCell(t.state), t.host, (t.ports ?? []).join(', '), t.startedAt ?? '-',
      (t.healthCheckResults ?? []).length ? (t.healthCheckResults.every(r => r.alive) ? 'healthy' : 'unhealthy') : '-'])),
    h('h2', {}, 'Versions'),
    h('ul', {}, (versions.versions ?? []).map(v => h('li', {}, v))),
    h('h2', {}, 'Definition'),
    h('pre', { tabindex: 0, 'aria-label': `Definition of ${a.id}` }, JSON.stringify(strip(a), null, 2)),
  ];
}

function strip(a) {
  const copy = { ...a };
  for (const key of ['tasks', 'deployments', 'tasksRunning', 'tasksStaged', 'tasksHealthy', 'tasksUnhealthy', 'lastTaskFailure', 'readinessCheckResults', 'taskStats']) delete copy[key];
  return copy;
}

// ---- deployments

async function deployments() {
  const [list, queue] = await Promise.all([get('/v2/deployments'), get('/v2/queue')]);
  const waiting = (queue.queue ?? []).filter(q => (q.rejectDetailsLastOffers ?? []).length || q.delay?.timeLeftSeconds > 0);
  return [
    h('h1', {}, 'Deployments'),
    table('Deployments in progress', ['Deployment', 'Apps', num('Step'), 'Current actions', 'Actions'], list.map(d => [
      h('code', {}, d.id),
      (d.affectedApps ?? []).map(id => link(appHref(id), id)).reduce((all, x, i) => i ? [...all, ', ', x] : [x], []),
      `${d.currentStep}/${d.totalSteps}`,
      h('ul', {}, (d.currentActions ?? []).map(x => h('li', {}, `${x.action} ${x.app}`, x.blockedBy ? h('div', { class: 'blocked' }, `blocked: ${x.blockedBy}`) : null))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => act(`Rolling back ${d.id}`, () => api('DELETE', `/v2/deployments/${encodeURIComponent(d.id)}`)) }, 'Roll back'),
        h('button', { type: 'button', class: 'danger', onclick: () => act(`Stopped ${d.id}`, () => api('DELETE', `/v2/deployments/${encodeURIComponent(d.id)}?force=true`)) }, 'Stop')),
    ]), 'No deployments in progress.'),
    h('h2', {}, 'Waiting for offers'),
    table('Launch queue', ['App', num('Waiting'), 'Why'], waiting.map(q => [
      link(appHref(q.app.id), q.app.id), q.count,
      [...(q.rejectDetailsLastOffers ?? []).map(r => `${r.reason} (${r.declined})`), q.delay?.timeLeftSeconds > 0 ? `delayed ${q.delay.timeLeftSeconds} s` : null].filter(Boolean).join('; ')]),
    'Nothing is waiting.'),
  ];
}

// ---- tasks

async function tasks() {
  const state = await get('/master/state');
  const hosts = new Map((state.slaves ?? []).map(s => [s.id, s.hostname]));
  const names = new Map((state.frameworks ?? []).map(f => [f.id, f.name]));
  const live = (state.frameworks ?? []).flatMap(f => f.tasks ?? []);
  const ended = (state.frameworks ?? []).flatMap(f => f.completed_tasks ?? []).slice(-50).reverse();
  const rows = list => list.map(t => [link(taskHref(t.id), t.name || t.id), stateCell(t.state), hosts.get(t.slave_id) ?? '-', names.get(t.framework_id) ?? t.framework_id, h('code', {}, t.id)]);
  const headers = ['Task', 'State', 'Host', 'Framework', 'Id'];
  return [
    h('h1', {}, 'Tasks'),
    table('Live tasks', headers, rows(live), 'No live tasks.'),
    h('h2', {}, 'Recently ended'),
    table('Recently ended tasks', headers, rows(ended), 'No ended tasks.'),
  ];
}

const KEEP = Symbol('keep');
const logs = { task: null, offsets: {}, running: false };

async function task(id) {
  if (logs.task === id && document.getElementById('log-stdout')) return KEEP; // already following: keep what is shown
  logs.task = id;
  logs.offsets = {};
  const panes = ['stdout', 'stderr'].map(file => {
    const pre = h('pre', { id: `log-${file}`, tabindex: 0, 'aria-label': `${file} of ${id}`, 'aria-live': 'off' });
    return [h('h2', {}, file), pre];
  });
  return [
    h('h1', {}, `Task ${id}`),
    h('p', { class: 'hint' }, 'Its sandbox logs, followed live.'),
    panes,
  ];
}

async function followLogs() {
  if (logs.running) return;
  logs.running = true;
  try {
    while (logs.task && location.hash.startsWith('#/tasks/')) {
      const id = logs.task;
      for (const file of ['stdout', 'stderr']) {
        const pre = document.getElementById(`log-${file}`);
        if (!pre) continue;
        try {
          if (logs.offsets[file] === undefined) {
            const head = await get(`/api/v1/tasks/${encodeURIComponent(id)}/logs/${file}?offset=0&length=0`);
            logs.offsets[file] = Math.max(0, head.size - 65536);
          }
          const chunk = await get(`/api/v1/tasks/${encodeURIComponent(id)}/logs/${file}?offset=${logs.offsets[file]}&length=65536`);
          if (chunk.data && logs.task === id) {
            pre.append(chunk.data);
            logs.offsets[file] = chunk.offset + new TextEncoder().encode(chunk.data).length;
            pre.scrollTop = pre.scrollHeight;
          }
        } catch (error) {
          pre.textContent = describe(error);
        }
      }
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  } finally {
    logs.running = false;
  }
}

// ---- jobs

async function jobs() {
  const list = await get('/v1/scheduler/jobs');
  return [
    h('h1', {}, 'Jobs'),
    table('Jobs', ['Job', 'Schedule', 'State', num('Successes'), num('Errors'), 'Last success', 'Last error', 'Actions'], list.map(j => [
      link(jobHref(j.name), j.name),
      (j.parents ?? []).length ? `after ${j.parents.join(', ')}` : j.schedule,
      j.disabled ? 'disabled' : j.currentRun ? 'running' : 'idle',
      j.successCount, j.errorCount, j.lastSuccess || '-', j.lastError || '-',
      h('button', { type: 'button', onclick: () => act(`Started ${j.name}`, () => api('PUT', `/v1/scheduler/job/${encodeURIComponent(j.name)}`)) }, `Run ${j.name} now`),
    ]), 'No jobs: add one through /v1/scheduler/iso8601 or `dcos job add`.'),
  ];
}

async function job(name) {
  const [j, runs] = await Promise.all([get(`/v1/scheduler/job/${encodeURIComponent(name)}`), get(`/v1/scheduler/job/${encodeURIComponent(name)}/runs`)]);
  return [
    h('h1', {}, `Job ${j.name}`),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => act(`Started ${j.name}`, () => api('PUT', `/v1/scheduler/job/${encodeURIComponent(j.name)}`)) }, `Run ${j.name} now`)),
    h('p', {}, h('code', {}, j.command)),
    h('h2', {}, 'History'),
    table(`Runs of ${j.name}`, ['Due', 'Trigger', 'State', 'Started', 'Finished', 'Host', 'Message'], (runs.runs ?? []).map(r => [
      r.due, r.trigger, h('span', { class: r.state === 'succeeded' ? 'ok' : r.state === 'failed' ? 'bad' : 'warn' }, r.state),
      r.startedAt ?? '-', r.finishedAt ?? '-', r.host ?? '-', r.message ?? '-']), 'No runs yet.'),
  ];
}

// ---- packages

const cosmos = (call, body = {}) => api('POST', `/package/${call}`, body);
const catalogue = { query: '', chosen: null };

async function packages() {
  const [found, installed] = await Promise.all([cosmos('search', { query: catalogue.query }), cosmos('list')]);
  const form = document.querySelector('form.catalogue-search') ?? h('form', { class: 'catalogue-search actions', role: 'search', onsubmit: event => {
    event.preventDefault();
    catalogue.query = document.getElementById('package-query').value.trim();
    render();
  } },
    h('label', { for: 'package-query' }, 'Search packages'),
    h('input', { id: 'package-query', type: 'search', value: catalogue.query, autocomplete: 'off' }),
    h('button', { type: 'submit' }, 'Search'));
  const install = document.querySelector('form.install') ?? (catalogue.chosen ? installForm(catalogue.chosen) : null);
  return [
    h('h1', {}, 'Catalogue'),
    form,
    (found.repositoryErrors ?? []).length ? h('p', { class: 'bad' }, `Some repositories could not be read: ${found.repositoryErrors.join('; ')}`) : null,
    table('Packages', ['Package', 'Version', 'Description', 'Tags', 'Actions'], (found.packages ?? []).map(p => [
      p.name, p.currentVersion, p.description, (p.tags ?? []).join(', '),
      h('button', { type: 'button', onclick: () => { catalogue.chosen = p.name; document.querySelector('form.install')?.remove(); render(); } }, `Install ${p.name}…`),
    ]), 'No package matches.'),
    install,
    h('h2', {}, 'Installed'),
    table('Installed packages', ['App', 'Package', 'Version', 'Options', 'Actions'], (installed.packages ?? []).map(p => [
      link(appHref(p.appId), p.appId), p.packageName, p.packageVersion, h('code', {}, JSON.stringify(p.options ?? {})),
      h('button', { type: 'button', class: 'danger', onclick: () => confirm(`Uninstall ${p.appId}?`) && act(`Uninstalling ${p.appId}`, () => cosmos('uninstall', { packageName: p.packageName, appId: p.appId })) }, `Uninstall ${p.appId}`),
    ]), 'Nothing installed from a package.'),
  ];
}

function installForm(name) {
  const form = h('form', { class: 'install deploy', 'aria-labelledby': 'install-heading', novalidate: true, onsubmit: async event => {
    event.preventDefault();
    const error = document.getElementById('package-options-error');
    const field = document.getElementById('package-options');
    error.textContent = '';
    field.removeAttribute('aria-invalid');
    let options;
    try { options = field.value.trim() ? JSON.parse(field.value) : undefined; } catch (e) { error.textContent = `not valid JSON: ${e.message}`; field.setAttribute('aria-invalid', 'true'); return; }
    const appId = document.getElementById('package-app-id').value.trim();
    try {
      const answer = await cosmos('install', { packageName: name, options, appId: appId || undefined });
      say(`Installed ${answer.packageName} ${answer.packageVersion} as ${answer.appId}. ${answer.postInstallNotes ?? ''}`, 'info');
      catalogue.chosen = null;
      form.remove();
      await render();
    } catch (e) {
      const details = e instanceof ApiError && e.body?.data?.errors ? e.body.data.errors : [];
      error.textContent = details.length ? details.map(d => `${d.path}: ${d.message}`).join('; ') : describe(e);
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    }
  } },
    h('h2', { id: 'install-heading', class: 'wide' }, `Install ${name}`),
    h('div', { class: 'field wide' },
      h('label', { for: 'package-options' }, 'Options (JSON, over the package\'s defaults)'),
      h('textarea', { id: 'package-options', rows: 4, 'aria-describedby': 'package-options-error', placeholder: '{"service": {"instances": 2}}' }),
      h('span', { class: 'error', id: 'package-options-error', 'aria-live': 'polite' })),
    h('div', { class: 'field' }, h('label', { for: 'package-app-id' }, 'App id (optional)'), h('input', { id: 'package-app-id', autocomplete: 'off' })),
    h('div', { class: 'wide actions' }, h('button', { type: 'submit', class: 'primary' }, `Install ${name}`)));
  return form;
}

// ---- DNS

async function dns() {
  const [answer, config] = await Promise.all([get('/v1/enumerate'), get('/v1/config')]);
  const rows = (answer.frameworks ?? []).flatMap(f => (f.tasks ?? []).flatMap(t => (t.records ?? []).map(r => [r.name, r.rtype, r.host, t.name, f.name])));
  return [
    h('h1', {}, 'DNS names'),
    h('p', { class: 'hint' }, `Served on port ${config.Port} for the ${config.Domain} domain.`),
    table('DNS records', ['Name', 'Type', 'Answer', 'Task', 'Framework'], rows, 'No task has a name yet.'),
  ];
}

// ------------------------------------------------------------------ routing and live updates

const routes = [
  [/^#?\/?$/, overview, '#/'],
  [/^#\/agents$/, agents, '#/agents'],
  [/^#\/frameworks$/, frameworks, '#/frameworks'],
  [/^#\/apps$/, apps, '#/apps'],
  [/^#\/apps\/(.+)$/, m => app(decodeURIComponent(m[1])), '#/apps'],
  [/^#\/deployments$/, deployments, '#/deployments'],
  [/^#\/tasks$/, tasks, '#/tasks'],
  [/^#\/tasks\/(.+)$/, m => task(decodeURIComponent(m[1])), '#/tasks'],
  [/^#\/jobs$/, jobs, '#/jobs'],
  [/^#\/jobs\/(.+)$/, m => job(decodeURIComponent(m[1])), '#/jobs'],
  [/^#\/dns$/, dns, '#/dns'],
  [/^#\/catalogue$/, packages, '#/catalogue'],
];

let rendering = null;
let again = false;

async function render() {
  if (rendering) { again = true; return rendering; }
  rendering = (async () => {
    do {
      again = false;
      const hash = location.hash || '#/';
      const route = routes.find(([pattern]) => pattern.test(hash));
      for (const a of document.querySelectorAll('nav a')) a.toggleAttribute('aria-current', a.getAttribute('href') === (route?.[2] ?? ''));
      document.querySelectorAll('nav a[aria-current]').forEach(a => a.setAttribute('aria-current', 'page'));
      if (!route) { view.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the overview'))); continue; }
      try {
        const content = await route[1](hash.match(route[0]));
        if (content !== KEEP) {
          // Keep what the user is typing: the deploy form is carried over, edited inputs keep their values, and
          // focus stays where it was.
          const focused = document.activeElement?.id;
          const edited = [...view.querySelectorAll('input[id]')].filter(i => !i.closest('form.deploy') && i.value !== i.defaultValue).map(i => [i.id, i.value]);
          view.replaceChildren(...[content].flat(3).filter(Boolean));
          for (const [id, value] of edited) { const input = document.getElementById(id); if (input) input.value = value; }
          if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
        }
        document.title = `${view.querySelector('h1')?.textContent ?? 'OrleansDcos'} · OrleansDcos`;
        if (hash.startsWith('#/tasks/')) followLogs();
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          // Login is on and there is no token, or it expired or was revoked.
          if (token()) { sessionStorage.removeItem(TOKEN); signedIn(null); }
          if (!view.querySelector('form.login')) view.replaceChildren(loginForm(token() ? 'Your session ended: log in again.' : undefined));
          continue;
        }
        view.replaceChildren(h('h1', {}, 'Could not load this page'), h('p', { class: 'bad' }, describe(error)));
      }
    } while (again);
  })();
  try { await rendering; } finally { rendering = null; }
}

let pending = null;
function soon() {
  clearTimeout(pending);
  pending = setTimeout(render, 250);
}

// The event bus, read with fetch (EventSource cannot send the login token): any event re-renders the page.
let following = null;
async function follow() {
  following?.abort();
  const stop = following = new AbortController();
  while (!stop.signal.aborted) {
    try {
      const response = await fetch('/v2/events', { headers: { Accept: 'text/event-stream', ...authorization() }, signal: stop.signal });
      if (response.status === 401) { live.textContent = 'signed out'; return; }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      live.textContent = 'live';
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        const frames = buffered.split('\n\n');
        buffered = frames.pop();
        if (frames.some(frame => /^(event|data):/m.test(frame))) soon();
      }
    } catch (error) {
      if (stop.signal.aborted) return;
    }
    live.textContent = 'reconnecting…';
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

// ------------------------------------------------------------------ login

function loginForm(message) {
  const form = h('form', { class: 'login', 'aria-labelledby': 'login-heading', onsubmit: event => { event.preventDefault(); login(form); } },
    h('h1', { id: 'login-heading' }, 'Log in'),
    h('p', {}, message ?? 'This cluster requires login.'),
    h('div', { class: 'field' }, h('label', { for: 'login-uid' }, 'User'), h('input', { id: 'login-uid', name: 'uid', autocomplete: 'username', required: true })),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'), h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Log in')));
  return form;
}

async function login(form) {
  const uid = form.querySelector('#login-uid').value.trim();
  const password = form.querySelector('#login-password').value;
  try {
    const answer = await api('POST', '/acs/api/v1/auth/login', { uid, password });
    sessionStorage.setItem(TOKEN, answer.token);
    sessionStorage.setItem(`${TOKEN}.uid`, uid);
    say(`Logged in as ${uid}`, 'info');
    signedIn(uid);
    heading();
    follow();
    await render();
  } catch (error) {
    say(describe(error));
    form.querySelector('#login-password').value = '';
    form.querySelector('#login-password').focus();
  }
}

function signedIn(uid) {
  const slot = document.getElementById('account');
  slot.replaceChildren(...(uid === null ? [] : [h('span', {}, uid), ' ', h('button', { type: 'button', onclick: logout }, 'Log out')]));
}

function logout() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(`${TOKEN}.uid`);
  following?.abort();
  signedIn(null);
  say('Logged out', 'info');
  render();
}

window.addEventListener('hashchange', () => { say(''); logs.task = null; render().then(() => document.getElementById('main').focus()); });
function heading() {
  get('/master/state').then(state => { document.getElementById('cluster').textContent = `cluster ${state.cluster} · ${state.orleansdcos_version ?? state.version}`; }).catch(() => {});
}

heading();
if (token()) signedIn(sessionStorage.getItem(`${TOKEN}.uid`) ?? '');
follow();
setInterval(soon, 5000); // agents and jobs change without a Marathon event
render();
