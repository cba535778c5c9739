// The Relay environment of one signed-in organization: queries and mutations over HTTP POST /graphql with the
// session cookie, subscriptions over one graphql-transport-ws WebSocket at /graphql. Switching organization
// builds a new environment (a new store and socket), so no record of one organization is ever shown in another.
import { createClient, type Client } from 'graphql-ws';
import {
  Environment,
  Network,
  Observable,
  RecordSource,
  Store,
  type FetchFunction,
  type GraphQLResponse,
  type SubscribeFunction,
} from 'relay-runtime';
import { GraphQLResponseError, SessionEndedError, type GraphQLErrorPayload } from './errors';
import { retryDelay, type LiveState } from './live';

export interface EnvironmentOptions {
  organizationId: string;
  /** The session ended (HTTP 401, WebSocket 4401/4403): called once; the app goes to sign-in. */
  onSessionEnded: () => void;
  /** The WebSocket's state, for the live indicator. */
  onLiveState: (state: LiveState) => void;
}

export interface AppEnvironment {
  organizationId: string;
  environment: Environment;
  dispose: () => void;
}

/** Close codes after which reconnecting cannot help: the session is gone or may not subscribe here. */
const SESSION_CLOSE_CODES = new Set([4401, 4403]);

export function createAppEnvironment(opts: EnvironmentOptions): AppEnvironment {
  let ended = false;
  const endSession = () => {
    if (ended) return;
    ended = true;
    opts.onSessionEnded();
  };

  const fetchFn: FetchFunction = async (params, variables) => {
    let res: Response;
    try {
      res = await fetch('/graphql', {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json', 'X-Organization-Id': opts.organizationId },
        body: JSON.stringify({ query: params.text, variables, operationName: params.name }),
      });
    } catch {
      throw new Error('The server cannot be reached. Check your connection and try again.');
    }
    if (res.status === 401) {
      endSession();
      throw new SessionEndedError();
    }
    const body = (await res.json().catch(() => null)) as { data?: unknown; errors?: GraphQLErrorPayload[] } | null;
    if (!body) throw new Error(`The server answered ${res.status} without a GraphQL response.`);
    if (body.errors?.length && body.data == null) throw new GraphQLResponseError(body.errors);
    return body as GraphQLResponse;
  };

  const ws: Client = createClient({
    url: webSocketURL(),
    connectionParams: () => ({ organizationId: opts.organizationId }),
    // The dashboard always listens: connect at once, so that the live indicator tells the truth from the start.
    lazy: false,
    retryAttempts: Infinity,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelay(retries))),
    shouldRetry: (e) => !(isCloseEvent(e) && SESSION_CLOSE_CODES.has(e.code)),
    onNonLazyError: () => {}, // reported through on.closed below
    on: {
      connecting: (isRetry) => opts.onLiveState(isRetry ? 'reconnecting' : 'connecting'),
      connected: () => opts.onLiveState('live'),
      closed: (e) => {
        if (isCloseEvent(e) && SESSION_CLOSE_CODES.has(e.code)) {
          opts.onLiveState('offline');
          endSession();
          return;
        }
        if (!ended) opts.onLiveState('reconnecting');
      },
    },
  });

  const subscribe: SubscribeFunction = (params, variables) =>
    Observable.create<GraphQLResponse>((sink) =>
      ws.subscribe(
        { operationName: params.name, query: params.text ?? '', variables },
        {
          next: (value) => sink.next(value as GraphQLResponse),
          error: (err) => sink.error(err instanceof Error ? err : new Error('The live connection ended.')),
          complete: () => sink.complete(),
        },
      ),
    );

  const environment = new Environment({
    network: Network.create(fetchFn, subscribe),
    store: new Store(new RecordSource()),
  });
  return {
    organizationId: opts.organizationId,
    environment,
    dispose: () => {
      ended = true;
      void ws.dispose();
    },
  };
}

function webSocketURL(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/graphql`;
}

function isCloseEvent(e: unknown): e is { code: number } {
  return typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'number';
}
