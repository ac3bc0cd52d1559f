// REST calls and the access token the hub may ask for.
//
// The token is asked for only when the hub says it is needed (a 401, or a
// command acknowledgement whose error code is a token's), kept in localStorage so a
// person types it once, and sent both as a Bearer header and as the
// Socket.IO `auth` token.

const TOKEN_KEY = "smarthome-energy.token";
const tokenListeners = [];
let pendingPrompt = null;

export function token() {
  try {
    return localStorage.getItem(TOKEN_KEY) || "";
  } catch {
    return ""; // storage disabled (private mode): work without remembering
  }
}

export function onTokenChange(listener) {
  tokenListeners.push(listener);
}

/** Ask the person for the token; concurrent callers share one prompt. Resolves true if given. */
export function askForToken(reason) {
  if (!pendingPrompt) {
    pendingPrompt = Promise.resolve().then(() => {
      const given = window.prompt(`${reason}\n\nAccess token for this hub:`, "");
      if (!given || !given.trim()) return false;
      try {
        localStorage.setItem(TOKEN_KEY, given.trim());
      } catch { /* remembered for this page only */ }
      tokenListeners.forEach((listener) => listener());
      return true;
    }).finally(() => { pendingPrompt = null; });
  }
  return pendingPrompt;
}

/** Whether an error from the hub ({code, message}) is about a missing or wrong token. */
export function isTokenError(error) {
  return TOKEN_CODES.has(error?.code);
}

const TOKEN_CODES = new Set(["token_required", "token_invalid"]);

/** A refused API call: `code` is the hub's machine-readable reason, `message` for a person. */
export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function headers(hasBody) {
  const result = { Accept: "application/json" };
  if (hasBody) result["Content-Type"] = "application/json";
  const current = token();
  if (current) result.Authorization = `Bearer ${current}`;
  return result;
}

/**
 * Call the JSON API; resolves to the parsed body, rejects with an ApiError carrying
 * the hub's own {"error": {"code", "message"}} so forms can show the message as is.
 */
export async function api(path, { method = "GET", body } = {}) {
  const send = () => fetch(path, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let response = await send();
  if (response.status === 401 && await askForToken("The hub needs an access token for this.")) {
    response = await send();
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data?.error;
    const message = error?.message || `${response.status} ${response.statusText}`;
    throw new ApiError(message, response.status, error?.code || `http_${response.status}`);
  }
  return data;
}

/** A query string from a mapping; array values repeat the key (device=a&device=b). */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, item);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
