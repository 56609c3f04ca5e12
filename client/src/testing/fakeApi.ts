// Stands in for the server's HTTP API in component specs: `fetch` answers from a table of
// "METHOD /path" routes and records every request, so a spec sees exactly what a click sent.
// The real api module (typed from the OpenAPI document) builds those requests.

export interface SentRequest {
  route: string;
  body: unknown;
}

export interface Answer {
  status: number;
  body?: unknown;
}

type Route = (request: SentRequest) => Answer | Promise<Answer>;
/** How the fake answers one route: a fixed answer, or a function of the request. */
export type Reply = Route | Answer;

/** An answer the spec releases later, to look at the screen while a request is in flight. */
export function deferred(): { answer: Route; release: (answer: Answer) => void } {
  let release: (answer: Answer) => void = () => {};
  const pending = new Promise<Answer>((resolve) => {
    release = resolve;
  });
  return { answer: () => pending, release };
}

/** The contract's error shape, as the server sends it. */
export function apiError(
  status: number,
  code: string,
  message: string,
  details: Array<{ path: string; message: string; code?: string; params?: Record<string, string | number> }> = [],
  params: Record<string, string | number> = {},
): Answer {
  return { status, body: { error: { code, message, params, details } } };
}

export function fakeApi(routes: Record<string, Reply> = {}) {
  const table = new Map(Object.entries(routes));
  const sent: SentRequest[] = [];

  globalThis.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const request = { route: `${init.method ?? 'GET'} ${String(input)}`, body: init.body ? JSON.parse(String(init.body)) : undefined };
    sent.push(request);
    const route = table.get(request.route);
    if (!route) throw new Error(`the fake API has no answer for ${request.route}`);
    const { status, body } = typeof route === 'function' ? await route(request) : route;
    const text = body === undefined ? '' : JSON.stringify(body);
    // The few members the api module reads.
    return { ok: status >= 200 && status < 300, status, text: async () => text } as Response;
  };

  return {
    sent,
    /** Sets (or replaces) the answer to one route. */
    on(route: string, answer: Reply) {
      table.set(route, answer);
    },
  };
}
