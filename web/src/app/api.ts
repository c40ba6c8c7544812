// The one way the web app talks to the server: JSON in and out, the session cookie, the CSRF
// header on writes, Accept-Language on everything, and errors as ApiError with the server's message.
import { acceptLanguage, initialLang, translate, type Lang } from './i18n';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const CSRF_STORAGE_KEY = 'gongzhi.csrf';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | null = readStoredCsrf();
let currentLang: Lang = initialLang();
let onUnauthorized: (() => void) | null = null;
let onSetupRequired: (() => void) | null = null;

function readStoredCsrf(): string | null {
  try {
    return sessionStorage.getItem(CSRF_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
  try {
    if (csrfToken) sessionStorage.setItem(CSRF_STORAGE_KEY, csrfToken);
    else sessionStorage.removeItem(CSRF_STORAGE_KEY);
  } catch {
    // sessionStorage unavailable: the in-memory copy still works until reload
  }
}

export function setApiLang(lang: Lang): void {
  currentLang = lang;
}

export function getApiLang(): Lang {
  return currentLang;
}

/** The auth context registers what to do when the session turns out to be gone. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** Called when the server says the account must finish its security setup first. */
export function setSetupRequiredHandler(handler: (() => void) | null): void {
  onSetupRequired = handler;
}

// Calls whose 401 is an answer, not an expired session.
const NO_REDIRECT_ON_401 = ['/api/auth/login', '/api/me'];
// A 401 with one of these codes (or none) means the session is gone. Others are answers about the
// request itself, e.g. TOTP_INVALID when turning on two-step verification with a wrong code.
const SESSION_GONE = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED', 'HTTP_401']);

export interface RequestOptions {
  query?: Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal;
  /** return the raw Response (for downloads) instead of parsing JSON */
  raw?: boolean;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function headersFor(method: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': acceptLanguage(currentLang),
  };
  if (hasBody) headers['Content-Type'] = 'application/json';
  if (WRITE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  return headers;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON (a proxy error page, an empty body)
  }
  const err = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  if (err && typeof err.message === 'string') {
    return new ApiError(res.status, err.code ?? `HTTP_${res.status}`, err.message, err.details);
  }
  if (res.status === 429) return new ApiError(429, 'RATE_LIMITED', translate(currentLang, 'error.rateLimited'));
  if (res.status === 401) return new ApiError(401, 'UNAUTHENTICATED', translate(currentLang, 'error.sessionExpired'));
  return new ApiError(res.status, `HTTP_${res.status}`, translate(currentLang, 'error.server', { status: res.status }));
}

async function send(method: string, path: string, body: unknown, opts: RequestOptions): Promise<Response> {
  const hasBody = body !== undefined;
  try {
    return await fetch(buildUrl(path, opts.query), {
      method,
      headers: headersFor(method, hasBody),
      body: hasBody ? JSON.stringify(body) : undefined,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', translate(currentLang, 'error.network'));
  }
}

async function refreshCsrf(): Promise<boolean> {
  const res = await send('GET', '/api/me', undefined, {});
  if (!res.ok) return false;
  const me = (await res.json()) as { csrfToken?: string };
  if (!me.csrfToken) return false;
  setCsrfToken(me.csrfToken);
  return true;
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  let res = await send(method, path, body, opts);

  // A token lost with a closed tab: fetch a fresh one once and repeat the write.
  if (res.status === 403 && WRITE_METHODS.has(method)) {
    const probe = res.clone();
    const code = await probe
      .json()
      .then((b: { error?: { code?: string } }) => b?.error?.code ?? '')
      .catch(() => '');
    if (/CSRF/i.test(code) && (await refreshCsrf())) res = await send(method, path, body, opts);
  }

  if (!res.ok) {
    const error = await toApiError(res);
    if (res.status === 401 && SESSION_GONE.has(error.code) && !NO_REDIRECT_ON_401.includes(path)) onUnauthorized?.();
    if (error.code === 'SETUP_REQUIRED') onSetupRequired?.();
    throw error;
  }
  if (opts.raw) return res as unknown as T;
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], opts: Omit<RequestOptions, 'query'> = {}) =>
    request<T>('GET', path, undefined, { ...opts, query }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/** Fetch a file the server generates and hand it to the browser as a download. */
export async function download(path: string, query: RequestOptions['query'], fallbackName: string): Promise<void> {
  const res = await request<Response>('GET', path, undefined, { query, raw: true });
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1] ?? match[2]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
