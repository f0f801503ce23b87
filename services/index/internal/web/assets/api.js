// api.js: calls the search API on this origin, with the bearer token when
// the service asks for one (asked once, kept in localStorage).

const TOKEN_KEY = 'desk.token';

// ApiError is a failed call; status 404 on a route means the server lacks
// the endpoint, and views hide the panel that needs it.
export class ApiError extends Error {
  constructor(status, message, path) {
    super(message);
    this.status = status;
    this.path = path;
  }
  get missing() { return this.status === 404 && !this.isNotFoundEntity; }
}

export function token() { return localStorage.getItem(TOKEN_KEY) || ''; }
export function forgetToken() { localStorage.removeItem(TOKEN_KEY); }

let asking = null;

// askToken opens the token dialog once, however many calls wait for it.
function askToken() {
  if (asking) return asking;
  const dlg = document.getElementById('token-dialog');
  const input = document.getElementById('token-input');
  asking = new Promise((resolve) => {
    dlg.addEventListener('close', () => {
      const v = input.value.trim();
      input.value = '';
      if (v) localStorage.setItem(TOKEN_KEY, v);
      asking = null;
      document.dispatchEvent(new CustomEvent('token-changed'));
      resolve(Boolean(v));
    }, { once: true });
    dlg.showModal();
    input.focus();
  });
  return asking;
}

// request fetches path (with its query) and returns the Response; on 401
// or 403 it asks for the token and tries again.
export async function request(path, { signal } = {}) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const headers = { Accept: 'application/json' };
    const t = token();
    if (t) headers.Authorization = 'Bearer ' + t;
    let res;
    try {
      res = await fetch(path, { headers, signal });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, 'The search service did not answer: ' + e.message, path);
    }
    if ((res.status === 401 || res.status === 403) && attempt < 2) {
      if (res.status === 403) forgetToken();
      if (!(await askToken())) throw new ApiError(res.status, 'An API token is needed to search.', path);
      continue;
    }
    if (!res.ok) {
      let msg = res.statusText;
      try { msg = (await res.json()).error || msg; } catch { /* not JSON */ }
      const err = new ApiError(res.status, msg, path);
      // A 404 with a JSON error naming the thing is a missing article or
      // entity, not a missing endpoint.
      err.isNotFoundEntity = res.status === 404 && /^no /.test(msg);
      throw err;
    }
    return res;
  }
  throw new ApiError(401, 'An API token is needed to search.', path);
}

// get returns the decoded JSON answer of path.
export async function get(path, opts) {
  const res = await request(path, opts);
  return res.json();
}

// download saves the answer of path as a file named name.
export async function download(path, name) {
  const res = await request(path);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
