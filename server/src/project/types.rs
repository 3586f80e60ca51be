//! `zigttp types`: `zigttp.d.ts`, TypeScript declarations of the globals and
//! of every `zigttp:*` module, so that editors complete and check handler
//! code.
//!
//! The module part is generated from the module table
//! (`zigts_vm::modules::TABLE`): one `declare module` per specifier and one
//! `export function` per export, typed from [`SIGNATURES`]. An export the
//! table has but [`SIGNATURES`] lacks is still declared (with `unknown`
//! types and a comment saying so), and the tests fail until it is described.
//! The globals are [`GLOBALS`], written by hand; the tests check that it
//! declares exactly the compiler's built-in names
//! (`zigts_verifier::builtins::BUILTINS`).
//!
//! The file is meant for `"noLib": true` (see the `tsconfig.json` that
//! `zigttp init` writes): it also declares the few standard types the
//! profile has (`Array`, `String`, `Map`, ...), so an editor completes what
//! exists in zigts and nothing that does not (no `Promise`, no `RegExp`
//! methods, no DOM).

use std::fmt::Write as _;
use zigts_vm::modules::TABLE;

/// The file name `zigttp types` writes by default.
pub const FILE_NAME: &str = "zigttp.d.ts";

/// `(specifier, export, parameters, return type)` of every module export.
pub const SIGNATURES: &[(&str, &str, &str, &str)] = &[
    ("zigttp:compose", "guard", "f: F", "F"),
    (
        "zigttp:compose",
        "pipe",
        "...fns: Array<(x: any) => any>",
        "any",
    ),
    ("zigttp:crypto", "sha256", "text: string", "string"),
    (
        "zigttp:crypto",
        "hmacSha256",
        "key: string, message: string",
        "string",
    ),
    ("zigttp:crypto", "base64Encode", "text: string", "string"),
    (
        "zigttp:crypto",
        "base64Decode",
        "text: string",
        "string | undefined",
    ),
    ("zigttp:env", "env", "name: string", "string | undefined"),
    (
        "zigttp:cache",
        "cacheGet",
        "namespace: string, key: string",
        "string | undefined",
    ),
    (
        "zigttp:cache",
        "cacheSet",
        "namespace: string, key: string, value: string, ttlSec?: number",
        "boolean",
    ),
    (
        "zigttp:cache",
        "cacheDelete",
        "namespace: string, key: string",
        "boolean",
    ),
    (
        "zigttp:cache",
        "cacheIncr",
        "namespace: string, key: string, delta?: number, ttlSec?: number",
        "number",
    ),
    (
        "zigttp:cache",
        "cacheStats",
        "namespace?: string",
        "zigttp.CacheStats",
    ),
    (
        "zigttp:router",
        "routerMatch",
        "routes: Record<string, H>, req: Request",
        "{ handler: H; params: Record<string, string> } | undefined",
    ),
    ("zigttp:text", "escapeHtml", "text: string", "string"),
    ("zigttp:text", "unescapeHtml", "text: string", "string"),
    ("zigttp:text", "slugify", "text: string", "string"),
    (
        "zigttp:text",
        "truncate",
        "text: string, max: number, suffix?: string",
        "string",
    ),
    (
        "zigttp:text",
        "mask",
        "text: string, visible?: number",
        "string",
    ),
    ("zigttp:url", "urlParse", "url: string", "zigttp.ParsedUrl"),
    (
        "zigttp:url",
        "urlSearchParams",
        "query: string",
        "Record<string, string>",
    ),
    ("zigttp:url", "urlEncode", "text: string", "string"),
    ("zigttp:url", "urlDecode", "text: string", "string"),
    (
        "zigttp:validate",
        "schemaCompile",
        "name: string, schemaJson: string",
        "boolean",
    ),
    (
        "zigttp:validate",
        "validateJson",
        "schema: string, json: string",
        "zigttp.Validation",
    ),
    (
        "zigttp:validate",
        "validateObject",
        "schema: string, value: unknown",
        "zigttp.Validation",
    ),
    (
        "zigttp:validate",
        "coerceJson",
        "schema: string, json: string",
        "zigttp.Validation",
    ),
    ("zigttp:validate", "schemaDrop", "name: string", "boolean"),
    (
        "zigttp:auth",
        "parseBearer",
        "header: string | undefined",
        "string | undefined",
    ),
    (
        "zigttp:auth",
        "jwtSign",
        "claimsJson: string, secret: string",
        "string",
    ),
    (
        "zigttp:auth",
        "jwtVerify",
        "token: string, secret: string, opts?: string | { alg?: string; leeway?: number; clockTolerance?: number }",
        "Result<Record<string, unknown>, string>",
    ),
    (
        "zigttp:auth",
        "verifyWebhookSignature",
        "payload: string, secret: string, signature: string",
        "boolean",
    ),
    (
        "zigttp:auth",
        "timingSafeEqual",
        "a: string, b: string",
        "boolean",
    ),
    (
        "zigttp:decode",
        "decodeJson",
        "schema: string, body: string | undefined",
        "zigttp.Validation",
    ),
    (
        "zigttp:decode",
        "decodeForm",
        "schema: string, body: string | undefined",
        "zigttp.Validation",
    ),
    (
        "zigttp:decode",
        "decodeQuery",
        "schema: string, query: Record<string, string | number>",
        "zigttp.Validation",
    ),
    ("zigttp:id", "uuid", "", "string"),
    ("zigttp:id", "ulid", "", "string"),
    ("zigttp:id", "nanoid", "length?: number", "string"),
    (
        "zigttp:time",
        "formatIso",
        "ms: number",
        "string | undefined",
    ),
    (
        "zigttp:time",
        "formatHttp",
        "ms: number",
        "string | undefined",
    ),
    (
        "zigttp:time",
        "parseIso",
        "text: string",
        "number | undefined",
    ),
    (
        "zigttp:time",
        "addSeconds",
        "ms: number, seconds: number",
        "number",
    ),
    (
        "zigttp:log",
        "logDebug",
        "message: string, context?: Record<string, unknown>",
        "void",
    ),
    (
        "zigttp:log",
        "logInfo",
        "message: string, context?: Record<string, unknown>",
        "void",
    ),
    (
        "zigttp:log",
        "logWarn",
        "message: string, context?: Record<string, unknown>",
        "void",
    ),
    (
        "zigttp:log",
        "logError",
        "message: string, context?: Record<string, unknown>",
        "void",
    ),
    (
        "zigttp:http",
        "parseCookies",
        "header: string | undefined",
        "Record<string, string>",
    ),
    (
        "zigttp:http",
        "setCookie",
        "name: string, value: string, opts?: zigttp.CookieOptions",
        "string | undefined",
    ),
    (
        "zigttp:http",
        "negotiate",
        "accept: string | undefined, offered: string",
        "string | undefined",
    ),
    (
        "zigttp:http",
        "parseContentType",
        "header: string | undefined",
        "{ type: string; subtype?: string; charset?: string }",
    ),
    (
        "zigttp:http",
        "cors",
        "origin: string | undefined, opts?: zigttp.CorsOptions",
        "Record<string, string> | undefined",
    ),
    (
        "zigttp:ratelimit",
        "rateCheck",
        "key: string, limit: number, windowSec: number",
        "Result<{ remaining: number; resetAt: number }, { tag: \"rate_exceeded\"; retryAfter: number }>",
    ),
    ("zigttp:ratelimit", "rateReset", "key: string", "boolean"),
    (
        "zigttp:sql",
        "sql",
        "name: string, statement: string",
        "boolean",
    ),
    (
        "zigttp:sql",
        "sqlOne",
        "name: string, params?: zigttp.SqlParams",
        "zigttp.SqlRow | undefined",
    ),
    (
        "zigttp:sql",
        "sqlMany",
        "name: string, params?: zigttp.SqlParams",
        "zigttp.SqlRow[]",
    ),
    (
        "zigttp:sql",
        "sqlExec",
        "name: string, params?: zigttp.SqlParams",
        "{ rowsAffected: number; lastInsertRowId: number }",
    ),
    (
        "zigttp:fetch",
        "fetch",
        "input: string | zigttp.FetchRequest, init?: zigttp.FetchInit",
        "zigttp.FetchResponse",
    ),
    (
        "zigttp:fetch",
        "fetchSync",
        "input: string | zigttp.FetchRequest, init?: zigttp.FetchInit",
        "zigttp.FetchResponse",
    ),
    (
        "zigttp:websocket",
        "send",
        "ws: number, data: string",
        "boolean",
    ),
    (
        "zigttp:websocket",
        "close",
        "ws: number, code?: number, reason?: string",
        "boolean",
    ),
    (
        "zigttp:websocket",
        "getWebSockets",
        "room: string",
        "number[]",
    ),
    (
        "zigttp:websocket",
        "serializeAttachment",
        "ws: number, text: string",
        "boolean",
    ),
    (
        "zigttp:websocket",
        "deserializeAttachment",
        "ws: number",
        "string | undefined",
    ),
];

/// Type parameters of the exports whose signature needs one.
fn generics(specifier: &str, name: &str) -> &'static str {
    match (specifier, name) {
        ("zigttp:compose", "guard") => "<F>",
        ("zigttp:router", "routerMatch") => "<H>",
        _ => "",
    }
}

/// The declarations of the globals (`BUILTINS`), the request and response
/// types, the few standard types the profile has, and the helper types the
/// module signatures name (namespace `zigttp`).
pub const GLOBALS: &str = r#"// ---- Standard types the profile has (the file is used with "noLib": true) ----

interface Object {}
interface Function {}
interface CallableFunction extends Function {}
interface NewableFunction extends Function {}
interface IArguments {}
interface RegExp {}
interface Boolean {}
interface Symbol {}
interface SymbolConstructor {
  readonly iterator: unique symbol;
}
declare var Symbol: SymbolConstructor;
interface IteratorResult<T, TReturn = any> {
  done?: boolean;
  value: T | TReturn;
}
interface Iterator<T, TReturn = any, TNext = any> {
  next(...args: [] | [TNext]): IteratorResult<T, TReturn>;
}
interface Iterable<T, TReturn = any, TNext = any> {
  [Symbol.iterator](): Iterator<T, TReturn, TNext>;
}
interface IterableIterator<T, TReturn = any, TNext = any> extends Iterator<T, TReturn, TNext> {
  [Symbol.iterator](): IterableIterator<T, TReturn, TNext>;
}
interface TemplateStringsArray extends ReadonlyArray<string> {
  readonly raw: readonly string[];
}
type Record<K extends keyof any, T> = { [P in K]: T };
type Partial<T> = { [P in keyof T]?: T[P] };
type Required<T> = { [P in keyof T]-?: T[P] };
type Readonly<T> = { readonly [P in keyof T]: T[P] };
type Pick<T, K extends keyof T> = { [P in K]: T[P] };
type Exclude<T, U> = T extends U ? never : T;
type Extract<T, U> = T extends U ? T : never;
type Omit<T, K extends keyof any> = Pick<T, Exclude<keyof T, K>>;
type NonNullable<T> = T & {};
type ReturnType<T extends (...args: any) => any> = T extends (...args: any) => infer R ? R : any;
type Parameters<T extends (...args: any) => any> = T extends (...args: infer P) => any ? P : never;

interface Number {
  toFixed(digits?: number): string;
  toString(radix?: number): string;
  valueOf(): number;
}

interface String {
  readonly length: number;
  readonly [index: number]: string;
  charAt(pos: number): string;
  charCodeAt(index: number): number;
  codePointAt(pos: number): number | undefined;
  at(index: number): string | undefined;
  indexOf(search: string, position?: number): number;
  lastIndexOf(search: string, position?: number): number;
  includes(search: string, position?: number): boolean;
  startsWith(search: string, position?: number): boolean;
  endsWith(search: string, endPosition?: number): boolean;
  slice(start?: number, end?: number): string;
  substring(start: number, end?: number): string;
  toLowerCase(): string;
  toLocaleLowerCase(): string;
  toUpperCase(): string;
  toLocaleUpperCase(): string;
  trim(): string;
  trimStart(): string;
  trimEnd(): string;
  split(separator: string, limit?: number): string[];
  repeat(count: number): string;
  padStart(maxLength: number, fill?: string): string;
  padEnd(maxLength: number, fill?: string): string;
  concat(...strings: string[]): string;
  /** String patterns only (there are no regular expressions). */
  replace(pattern: string, replacement: string): string;
  replaceAll(pattern: string, replacement: string): string;
  localeCompare(that: string): number;
  toString(): string;
  valueOf(): string;
  [Symbol.iterator](): IterableIterator<string>;
}

interface ReadonlyArray<T> {
  readonly length: number;
  readonly [n: number]: T;
  slice(start?: number, end?: number): T[];
  concat(...items: (T | ReadonlyArray<T>)[]): T[];
  join(separator?: string): string;
  toString(): string;
  indexOf(item: T, from?: number): number;
  lastIndexOf(item: T, from?: number): number;
  includes(item: T, from?: number): boolean;
  at(index: number): T | undefined;
  map<U>(f: (value: T, index: number, array: readonly T[]) => U): U[];
  filter(f: (value: T, index: number, array: readonly T[]) => unknown): T[];
  forEach(f: (value: T, index: number, array: readonly T[]) => void): void;
  every(f: (value: T, index: number, array: readonly T[]) => unknown): boolean;
  some(f: (value: T, index: number, array: readonly T[]) => unknown): boolean;
  find(f: (value: T, index: number, array: readonly T[]) => unknown): T | undefined;
  findIndex(f: (value: T, index: number, array: readonly T[]) => unknown): number;
  findLast(f: (value: T, index: number, array: readonly T[]) => unknown): T | undefined;
  findLastIndex(f: (value: T, index: number, array: readonly T[]) => unknown): number;
  reduce<U>(f: (acc: U, value: T, index: number, array: readonly T[]) => U, initial: U): U;
  reduceRight<U>(f: (acc: U, value: T, index: number, array: readonly T[]) => U, initial: U): U;
  toSorted(compare?: (a: T, b: T) => number): T[];
  toReversed(): T[];
  flat<U>(this: ReadonlyArray<U | ReadonlyArray<U>>, depth?: number): U[];
  flatMap<U>(f: (value: T, index: number, array: readonly T[]) => U | ReadonlyArray<U>): U[];
  keys(): IterableIterator<number>;
  values(): IterableIterator<T>;
  entries(): IterableIterator<[number, T]>;
  [Symbol.iterator](): IterableIterator<T>;
}

interface Array<T> extends ReadonlyArray<T> {
  length: number;
  [n: number]: T;
  push(...items: T[]): number;
  pop(): T | undefined;
  shift(): T | undefined;
  unshift(...items: T[]): number;
  splice(start: number, deleteCount?: number, ...items: T[]): T[];
  sort(compare?: (a: T, b: T) => number): this;
  reverse(): T[];
  fill(value: T, start?: number, end?: number): this;
}

interface ArrayConstructor {
  isArray(value: unknown): value is unknown[];
  of<T>(...items: T[]): T[];
  from<T>(items: Iterable<T> | ArrayLike<T>): T[];
  from<T, U>(items: Iterable<T> | ArrayLike<T>, f: (value: T, index: number) => U): U[];
}
interface ArrayLike<T> {
  readonly length: number;
  readonly [n: number]: T;
}

interface Map<K, V> {
  readonly size: number;
  get(key: K): V | undefined;
  set(key: K, value: V): this;
  has(key: K): boolean;
  delete(key: K): boolean;
  clear(): void;
  forEach(f: (value: V, key: K, map: Map<K, V>) => void): void;
  keys(): IterableIterator<K>;
  values(): IterableIterator<V>;
  entries(): IterableIterator<[K, V]>;
  [Symbol.iterator](): IterableIterator<[K, V]>;
}

interface Set<T> {
  readonly size: number;
  add(value: T): this;
  has(value: T): boolean;
  delete(value: T): boolean;
  clear(): void;
  forEach(f: (value: T, again: T, set: Set<T>) => void): void;
  keys(): IterableIterator<T>;
  values(): IterableIterator<T>;
  entries(): IterableIterator<[T, T]>;
  [Symbol.iterator](): IterableIterator<T>;
}

// ---- Request, Response, Result ----

/** A request header map: names are lowercased; `get`/`has` are case-insensitive. */
interface Headers {
  get(name: string): string | undefined;
  has(name: string): boolean;
  set(name: string, value: string): void;
  append(name: string, value: string): void;
  delete(name: string): void;
  readonly [name: string]: unknown;
}

/** The request a handler receives. */
interface Request {
  readonly method: string;
  /** The path with the query string. */
  readonly url: string;
  readonly path: string;
  /** Canonical 32-bit integers become numbers; the last duplicate wins. */
  readonly query: Readonly<Record<string, string | number | undefined>>;
  readonly headers: Headers;
  /** `undefined` when the request has no body. */
  readonly body: string | undefined;
  text(): string;
  /** `undefined` when the body is empty or not JSON. */
  json(): any;
}

interface ResponseInit {
  status?: number;
  headers?: Record<string, string>;
}

/** What a handler answers. */
interface Response {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** `{ ok: true, value }` or `{ ok: false, error }`. */
interface Result<T, E = string> {
  readonly ok: boolean;
  readonly value?: T;
  readonly error?: E;
  isOk(): boolean;
  isErr(): boolean;
  /** Ends the request with a 500 on an err Result. */
  unwrap(): T;
  unwrapOr(fallback: T): T;
  unwrapErr(): E;
  map<U>(f: (value: T) => U): Result<U, E>;
  mapErr<F>(f: (error: E) => F): Result<T, F>;
  andThen<U>(f: (value: T) => Result<U, E>): Result<U, E>;
  match<U>(arms: { ok: (value: T) => U; err: (error: E) => U }): U;
}

/** A JSX element, as built by `h`. */
interface JsxNode {
  readonly tag: unknown;
  readonly props: Record<string, unknown>;
}

declare namespace JSX {
  type Element = JsxNode;
  interface IntrinsicElements {
    [tag: string]: Record<string, unknown>;
  }
}

/** Helper types named by the `zigttp:*` module declarations below. */
declare namespace zigttp {
  interface CacheStats {
    hits: number;
    misses: number;
    entries: number;
    bytes: number;
  }
  /** The parts a URL has; a missing part is undefined. */
  interface ParsedUrl {
    protocol: string | undefined;
    host: string | undefined;
    port: string | undefined;
    path: string;
    query: string | undefined;
    hash: string | undefined;
    searchParams: Record<string, string>;
  }
  /** A Result whose failure may also list `errors: [{ path, message }]`. */
  type Validation = Result<any, string> & {
    readonly errors?: ReadonlyArray<{ path: string; message: string }>;
  };
  interface CookieOptions {
    path?: string;
    domain?: string;
    httpOnly?: boolean;
    secure?: boolean;
    sameSite?: "Strict" | "Lax" | "None";
    maxAge?: number;
    expires?: string | number;
  }
  interface CorsOptions {
    methods?: string | string[];
    headers?: string | string[];
    maxAge?: number;
    credentials?: boolean;
  }
  type SqlValue = string | number | boolean | undefined;
  type SqlParams = Record<string, SqlValue>;
  type SqlRow = Record<string, string | number | undefined>;
  interface FetchInit {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    maxResponseBytes?: number;
    timeoutMs?: number;
  }
  interface FetchRequest extends FetchInit {
    url: string;
  }
  interface FetchResponse {
    readonly status: number;
    readonly ok: boolean;
    readonly statusText: string;
    readonly url: string;
    readonly body: string;
    readonly headers: { get(name: string): string | undefined };
    text(): string;
    json(): any;
  }
}

// ---- Globals (exactly the compiler's built-in names) ----

declare const Math: {
  readonly PI: number;
  readonly E: number;
  readonly LN2: number;
  readonly LN10: number;
  readonly LOG2E: number;
  readonly LOG10E: number;
  readonly SQRT2: number;
  readonly SQRT1_2: number;
  abs(x: number): number;
  floor(x: number): number;
  ceil(x: number): number;
  round(x: number): number;
  trunc(x: number): number;
  sign(x: number): number;
  sqrt(x: number): number;
  cbrt(x: number): number;
  pow(x: number, y: number): number;
  exp(x: number): number;
  expm1(x: number): number;
  log(x: number): number;
  log2(x: number): number;
  log10(x: number): number;
  log1p(x: number): number;
  sin(x: number): number;
  cos(x: number): number;
  tan(x: number): number;
  asin(x: number): number;
  acos(x: number): number;
  atan(x: number): number;
  atan2(y: number, x: number): number;
  sinh(x: number): number;
  cosh(x: number): number;
  tanh(x: number): number;
  asinh(x: number): number;
  acosh(x: number): number;
  atanh(x: number): number;
  hypot(...values: number[]): number;
  min(...values: number[]): number;
  max(...values: number[]): number;
  fround(x: number): number;
  clz32(x: number): number;
  imul(x: number, y: number): number;
  /** 0.5 under `zigttp test`. */
  random(): number;
};

declare const JSON: {
  /** `undefined` for invalid text; JSON `null` becomes `undefined`. */
  parse(text: string): any;
  tryParse(text: string): Result<any, string>;
  /** The replacer argument is ignored. */
  stringify(value: unknown, replacer?: unknown, indent?: number | string): string;
};

declare const Object: {
  keys(o: object): string[];
  values<T>(o: Record<string, T>): T[];
  entries<T>(o: Record<string, T>): [string, T][];
  hasOwn(o: object, key: string): boolean;
  fromEntries<T>(entries: Iterable<readonly [string, T]>): Record<string, T>;
};

declare const Array: ArrayConstructor;

declare const Number: {
  (value: unknown): number;
  isInteger(x: unknown): boolean;
  isSafeInteger(x: unknown): boolean;
  isNaN(x: unknown): boolean;
  isFinite(x: unknown): boolean;
  parseInt(text: string, radix?: number): number;
  parseFloat(text: string): number;
  readonly MAX_SAFE_INTEGER: number;
  readonly MIN_SAFE_INTEGER: number;
  readonly MAX_VALUE: number;
  readonly MIN_VALUE: number;
  readonly EPSILON: number;
  readonly POSITIVE_INFINITY: number;
  readonly NEGATIVE_INFINITY: number;
  readonly NaN: number;
};

declare const String: {
  (value: unknown): string;
  fromCharCode(...codes: number[]): string;
};

declare const Boolean: (value: unknown) => boolean;

/** Called without `new`. */
declare const Map: <K, V>(entries?: Iterable<readonly [K, V]>) => Map<K, V>;

/** Called without `new`. */
declare const Set: <T>(values?: Iterable<T>) => Set<T>;

declare const Response: {
  (body?: string, init?: ResponseInit): Response;
  json(body: unknown, init?: ResponseInit): Response;
  text(body: unknown, init?: ResponseInit): Response;
  html(body: unknown, init?: ResponseInit): Response;
  /** `body` is sent as is, with Content-Type application/json. */
  rawJson(body: string, init?: ResponseInit): Response;
  redirect(url: string, status?: number): Response;
};

declare const Result: {
  ok<T>(value: T): Result<T, never>;
  err<E>(error: E): Result<never, E>;
};

/** log, info, debug go to stdout; warn, error to stderr. */
declare const console: {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};

declare const Date: {
  /** Milliseconds since the epoch; 0 under `zigttp test`. */
  now(): number;
};

/** Integers for `for...of`: `range(end)`, `range(start, end)`, `range(start, end, step)`. */
declare function range(startOrEnd: number, end?: number, step?: number): IterableIterator<number>;

declare function parseInt(text: string, radix?: number): number;
declare function parseFloat(text: string): number;
declare function isNaN(x: unknown): boolean;
declare function isFinite(x: unknown): boolean;

/** A headers object. */
declare const Headers: (init?: Record<string, string>) => Headers;

/** The name is reserved; there are no exceptions (use Result). */
declare const Error: {};

/** The JSX element factory. */
declare function h(tag: unknown, props: Record<string, unknown> | undefined, ...children: unknown[]): JsxNode;
declare function renderToString(node: unknown): string;
declare const Fragment: unique symbol;

declare const performance: {
  /** Milliseconds; 0 under `zigttp test`. */
  now(): number;
};
"#;

/// The whole `zigttp.d.ts`.
pub fn declarations() -> String {
    let mut out = String::from(
        "// zigttp.d.ts: generated by `zigttp types`; do not edit (run it again instead).\n\
         // Declares what zigts handler code can name: the built-in globals and the\n\
         // zigttp:* modules. Use it with \"noLib\": true (the tsconfig.json of `zigttp init`).\n\n",
    );
    out.push_str(GLOBALS);
    out.push_str("\n// ---- zigttp:* modules (from the module table) ----\n");
    for module in TABLE {
        let caps: Vec<&str> = module.capabilities.iter().map(|c| c.name()).collect();
        let _ = writeln!(
            out,
            "\n/** Needs capabilities: {}. */",
            if caps.is_empty() {
                "none".to_string()
            } else {
                caps.join(", ")
            }
        );
        let _ = writeln!(out, "declare module \"{}\" {{", module.specifier);
        for export in module.exports {
            let generic = generics(module.specifier, export.name);
            match signature(module.specifier, export.name) {
                Some((params, ret)) => {
                    let _ = writeln!(
                        out,
                        "  export function {}{generic}({params}): {ret};",
                        export.name
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "  // not yet described in server/src/project/types.rs SIGNATURES\n  export function {}(...args: unknown[]): unknown;",
                        export.name
                    );
                }
            }
        }
        out.push_str("}\n");
    }
    out
}

fn signature(specifier: &str, name: &str) -> Option<(&'static str, &'static str)> {
    SIGNATURES
        .iter()
        .find(|(s, n, _, _)| *s == specifier && *n == name)
        .map(|&(_, _, params, ret)| (params, ret))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use zigts_verifier::builtins::BUILTINS;
    use zigts_verifier::modules::ReturnKind;

    /// `(specifier, export)` pairs declared in the generated text, read back
    /// from its `declare module` blocks.
    fn declared_exports(text: &str) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        let mut module: Option<String> = None;
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("declare module \"") {
                module = rest.split('"').next().map(str::to_string);
            } else if line == "}" {
                module = None;
            } else if let (Some(m), Some(rest)) =
                (&module, line.trim().strip_prefix("export function "))
            {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                assert!(out.insert((m.clone(), name)), "declared twice: {line}");
            }
        }
        out
    }

    /// Parameters in a signature, counting top-level commas only.
    fn param_count(params: &str) -> usize {
        if params.trim().is_empty() {
            return 0;
        }
        let mut depth = 0i32;
        let mut count = 1;
        for c in params.chars() {
            match c {
                '<' | '(' | '{' | '[' => depth += 1,
                '>' | ')' | '}' | ']' => depth -= 1,
                ',' if depth == 0 => count += 1,
                _ => {}
            }
        }
        count
    }

    #[test]
    fn every_module_export_is_declared_and_nothing_else() {
        let expected: BTreeSet<(String, String)> = TABLE
            .iter()
            .flat_map(|m| {
                m.exports
                    .iter()
                    .map(|e| (m.specifier.to_string(), e.name.to_string()))
            })
            .collect();
        assert_eq!(declared_exports(&declarations()), expected);
        for module in TABLE {
            assert!(
                declarations().contains(&format!("declare module \"{}\" {{", module.specifier)),
                "{}",
                module.specifier
            );
        }
    }

    #[test]
    fn every_export_has_a_signature_matching_the_table() {
        let text = declarations();
        assert!(
            !text.contains("not yet described"),
            "describe the new exports in SIGNATURES"
        );
        for &(spec, name, params, ret) in SIGNATURES {
            let Some(export) = TABLE
                .iter()
                .find(|m| m.specifier == spec)
                .and_then(|m| m.exports.iter().find(|e| e.name == name))
            else {
                panic!("SIGNATURES describes {spec} {name}, which the module table lacks");
            };
            if export.arity == 255 {
                assert!(params.starts_with("..."), "{spec} {name} is variadic");
            } else {
                assert_eq!(
                    param_count(params),
                    export.arity as usize,
                    "{spec} {name}: parameters {params:?} against arity {}",
                    export.arity
                );
            }
            let fits = match export.returns {
                ReturnKind::Boolean => ret == "boolean",
                ReturnKind::Number => ret == "number",
                ReturnKind::String => ret.starts_with("string"),
                ReturnKind::OptionalString => ret == "string | undefined",
                ReturnKind::OptionalObject => ret.ends_with("| undefined"),
                ReturnKind::Undefined => ret == "void",
                ReturnKind::Result => ret.starts_with("Result<") || ret == "zigttp.Validation",
                ReturnKind::Object | ReturnKind::Unknown => !ret.is_empty(),
            };
            assert!(fits, "{spec} {name}: {ret:?} against {:?}", export.returns);
        }
    }

    #[test]
    fn the_globals_are_exactly_the_builtins() {
        let declared: BTreeSet<&str> = GLOBALS
            .lines()
            .filter_map(|l| {
                let rest = l
                    .strip_prefix("declare const ")
                    .or_else(|| l.strip_prefix("declare function "))?;
                rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
            })
            .collect();
        let builtins: BTreeSet<&str> = BUILTINS.iter().copied().collect();
        assert_eq!(declared, builtins);
    }

    #[test]
    fn param_count_skips_nested_commas() {
        assert_eq!(param_count(""), 0);
        assert_eq!(param_count("a: string"), 1);
        assert_eq!(param_count("a: Record<string, T>, b: { x: 1, y: 2 }"), 2);
    }
}
