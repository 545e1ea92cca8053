/**
 * Gives the language server the connected controller's instance types (`karpenterTs/controllerCatalog`): when the
 * cluster session connects (or its context, or the controller settings change), GET `/api/v1/instancetypes` from
 * the karpenter-ts controller (controller-api.ts) and send the answer; when that fails or the session disconnects,
 * retract it, so the server falls back to the simulated default catalog. Keeps a status for the status bar naming
 * the active catalog and, when the controller could not be used, why, as one sentence.
 *
 * Precedence (applied by the server, mirrored in the status): `karpenterTs.catalogFile` > controller > simulated default.
 */
import type { ControllerCatalogParams } from '@karpenter-ts/language-server/protocol';
import type { Disposable, Host, StatusItem } from '../host.js';
import { controllerTarget, fetchControllerCatalog, nodeHttpGet, type HttpGet } from './controller-api.js';
import type { ClusterSessionPort } from './session-port.js';

/** The controller settings and the catalog file, as read from `karpenterTs.*`. */
export interface CatalogSettings {
  /** `karpenterTs.controller.url`: the controller API's URL; empty = through the API server's service proxy. */
  url: string;
  /** `karpenterTs.controller.service`: `NAMESPACE/NAME:PORT` of the controller's Service; empty = never ask. */
  service: string;
  /** `karpenterTs.catalogFile`: when set, it wins over the controller's catalog. */
  catalogFile: string;
}

/** Which catalog is active, for the status bar. */
export interface CatalogStatus {
  source: 'file' | 'controller' | 'default';
  /** Short status-bar text. */
  text: string;
  /** One or two sentences: where the types come from, and why not the controller when it was not used. */
  tooltip: string;
}

export interface ControllerCatalogSyncOptions {
  session: Pick<ClusterSessionPort, 'state' | 'apiAccess'>;
  settings: () => CatalogSettings;
  get?: HttpGet;
  /** Called whenever `status()` changes. */
  onStatus?: (status: CatalogStatus) => void;
  /** A failure a person asked for (an explicit controller URL that does not answer): shown once per distinct sentence. */
  onProblem?: (message: string) => void;
  onError?: (err: unknown) => void;
}

type Fetched = { ok: true; params: ControllerCatalogParams & { source: string }; typeCount: number } | { ok: false; message: string };

export class ControllerCatalogSync implements Disposable {
  private send: ((params: ControllerCatalogParams) => Promise<void>) | undefined;
  private lastSent: string | undefined;
  private fetched: Fetched | undefined;
  private fetchedKey: string | undefined;
  private generation = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private lastProblem: string | undefined;
  private readonly get: HttpGet;

  constructor(private readonly options: ControllerCatalogSyncOptions) {
    this.get = options.get ?? ((url, o) => nodeHttpGet(url, o));
  }

  /** Starts sending through `send` (the language client's `sendNotification`), beginning with what is known. */
  attach(send: (params: ControllerCatalogParams) => Promise<void>): void {
    this.send = send;
    this.lastSent = undefined;
    this.flush();
  }

  /** Call on every change of the session: fetches once per connection (context, server and settings). */
  update(): void {
    const state = this.options.session.state;
    if (state.kind === 'connecting') {
      // Fetch again once connected; until then the last catalog holds (no flicker on reconnect).
      this.fetchedKey = undefined;
      return;
    }
    if (state.kind !== 'connected') {
      if (this.fetchedKey !== undefined || this.fetched !== undefined) {
        this.generation++;
        this.fetchedKey = undefined;
        this.fetched = state.kind === 'error' ? { ok: false, message: 'Not connected to a cluster.' } : undefined;
        this.changed();
      }
      return;
    }
    const s = this.options.settings();
    const key = JSON.stringify([state.context, state.server, s.url, s.service]);
    if (key === this.fetchedKey) return;
    this.fetchedKey = key;
    const generation = ++this.generation;
    this.inFlight = this.fetch(generation).catch((err: unknown) => this.options.onError?.(err));
  }

  /** Fetches again (settings changed, or the user reconnected). */
  refresh(): void {
    this.fetchedKey = undefined;
    this.update();
    this.changed();
  }

  /** Resolves when the fetch in flight (if any) is done and its result sent. */
  async settled(): Promise<void> {
    let current: Promise<void> | undefined;
    while (current !== this.inFlight) {
      current = this.inFlight;
      await current;
    }
  }

  /** The active catalog as the status bar shows it. */
  status(): CatalogStatus {
    const file = this.options.settings().catalogFile.trim();
    if (file !== '') return { source: 'file', text: '$(database) catalog: file', tooltip: `Instance types from ${file} (karpenterTs.catalogFile), which takes precedence over the controller's catalog.` };
    const f = this.fetched;
    if (f?.ok) return { source: 'controller', text: '$(database) catalog: controller', tooltip: `${f.typeCount} instance types from ${f.params.source}.` };
    const why = f && !f.ok ? ` ${f.message}` : '';
    return { source: 'default', text: '$(database) catalog: simulated', tooltip: `Instance types from the simulated default catalog.${why}` };
  }

  dispose(): void {
    this.generation++;
    this.send = undefined;
  }

  private async fetch(generation: number): Promise<void> {
    const settings = this.options.settings();
    const access = await this.options.session.apiAccess();
    if (generation !== this.generation) return;
    let result: Fetched;
    if (!access) result = { ok: false, message: 'Not connected to a cluster.' };
    else {
      const target = controllerTarget(settings, access.server);
      if (target.kind === 'off') result = { ok: false, message: 'No controller is asked ("karpenterTs.controller.service" is empty).' };
      else if (target.kind === 'error') result = { ok: false, message: target.message };
      else {
        // Through the proxy the API server authenticates the user (TLS and headers); a direct URL gets only the token.
        const headers = target.kind === 'url' ? pickAuthorization(access.options.headers) : access.options.headers;
        const options = target.kind === 'url' ? { headers } : { ...access.options, headers };
        const got = await fetchControllerCatalog(this.get, target, options, access.context);
        const source = target.kind === 'url' ? `the controller at ${target.display}` : `the controller of context "${access.context}"`;
        result = got.ok ? { ok: true, params: { source, response: got.response }, typeCount: got.typeCount } : got;
        if (!got.ok && target.kind === 'url' && got.message !== this.lastProblem) this.options.onProblem?.(got.message);
        this.lastProblem = got.ok ? undefined : got.message;
      }
    }
    if (generation !== this.generation) return;
    this.fetched = result;
    this.changed();
  }

  private changed(): void {
    this.flush();
    this.options.onStatus?.(this.status());
  }

  /** Sends the catalog when there is one, a retraction when one was sent before; never the same twice in a row. */
  private flush(): void {
    if (!this.send) return;
    const params: ControllerCatalogParams = this.fetched?.ok ? this.fetched.params : { response: null };
    const key = params.response === null ? 'null' : JSON.stringify(params);
    if (key === this.lastSent || (this.lastSent === undefined && params.response === null)) return;
    this.lastSent = key;
    this.send(params).catch((err: unknown) => {
      this.lastSent = undefined;
      this.options.onError?.(err);
    });
  }
}

/** Only the `Authorization` header (a bearer token), for a controller URL outside the API server. */
function pickAuthorization(headers: Record<string, string>): Record<string, string> {
  const entry = Object.entries(headers).find(([k, v]) => k.toLowerCase() === 'authorization' && /^Bearer\s/i.test(v));
  return entry ? { Authorization: entry[1] } : {};
}

/** The catalog status-bar item (click: open the catalog settings). */
export function catalogStatusItem(host: Host): Disposable & { show(status: CatalogStatus): void } {
  const item: StatusItem = host.createStatusItem('karpenterTs.catalog', 9);
  return { show: (s) => item.show(s.text, s.tooltip, 'karpenterTs.catalogSettings'), dispose: () => item.dispose() };
}
