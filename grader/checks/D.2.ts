// D.2 metrics not updating: the request hook lives inside one encapsulated plugin and labels by raw
// URL, one counter is re-created on every request, another sits on prom-client's global registry.
// Traffic (how many requests per route, which ids, items and stock keeping units, in what order)
// varies per run; every count is checked against what the grader sent.
import { findSamples } from '../live/exposition.js';
import { parseJson, send, type Answer } from '../live/http.js';
import type { Random } from '../live/random.js';
import { pass } from '../report/results.js';
import { checkSet, expectThat, registryFamilies, seenSeries, type ExerciseChecks, type LiveContext } from './kit.js';

/** The lab's stock (inventory.ts): in stock, out of stock; anything else is unknown. */
const STOCK: Record<string, number> = { widget: 12, gadget: 0, gizmo: 3 };

interface Request {
  method: string;
  template: string;
  path: string;
  body?: unknown;
  /** The status the lab's routes answer with (their behaviour is not the bug). */
  status: number;
  /** The body they answer with (a new order's id is judged apart: ids go up from 1000). */
  reply?: unknown;
  lookup?: 'in_stock' | 'out_of_stock' | 'unknown';
  order?: boolean;
}

const REFUSED_ORDER = { detail: 'an order needs an item (string) and a quantity (integer ≥ 1)' };

function traffic(random: Random): Request[] {
  const out: Request[] = [];
  for (let i = random.int(2, 5); i > 0; i--) out.push({ method: 'GET', template: '/health', path: '/health', status: 200, reply: { status: 'ok' } });
  for (let i = random.int(3, 7); i > 0; i--) {
    const id = random.int(1, 99_999);
    out.push({ method: 'GET', template: '/orders/:id', path: `/orders/${id}`, status: 200, reply: { id, status: id % 2 === 0 ? 'shipped' : 'packing' } });
  }
  // Ids that are no order: 0, negative, not a whole number, not a number.
  for (const id of ['0', `-${random.int(1, 99)}`, `${random.int(1, 99)}.5`, random.token(4)]) {
    out.push({ method: 'GET', template: '/orders/:id', path: `/orders/${id}`, status: 404, reply: { detail: 'no such order' } });
  }
  for (let i = random.int(2, 6); i >= 0; i--) {
    // The smallest order there is (a quantity of 1) always among them.
    const body = { item: random.pick(['widget', 'gadget', 'gizmo', `part-${random.token(4)}`]), quantity: i === 0 ? 1 : random.int(1, 40) };
    out.push({ method: 'POST', template: '/orders', path: '/orders', body, status: 201, order: true, reply: { ...body, status: 'received' } });
  }
  // Orders the service refuses (422): requested, counted as requests, not as orders.
  const refused = [{ item: 'widget', quantity: 0 }, { item: 'widget', quantity: 2.5 }, { item: 'widget', quantity: '3' }, { item: '', quantity: 1 }, { item: 42, quantity: 1 }, { quantity: 2 }];
  for (const body of random.shuffle(refused).slice(0, random.int(2, 4))) out.push({ method: 'POST', template: '/orders', path: '/orders', body, status: 422, reply: REFUSED_ORDER });
  const unknown = `sku-${random.token(5)}`;
  const skus = [...Object.keys(STOCK), unknown];
  const lookup = (sku: string): Request => {
    const stock = STOCK[sku];
    return stock === undefined
      ? { method: 'GET', template: '/inventory/:sku', path: `/inventory/${sku}`, status: 404, lookup: 'unknown', reply: { detail: `unknown sku ${sku}` } }
      : { method: 'GET', template: '/inventory/:sku', path: `/inventory/${sku}`, status: 200, lookup: stock > 0 ? 'in_stock' : 'out_of_stock', reply: { sku, in_stock: stock } };
  };
  for (let i = random.int(3, 7); i > 0; i--) out.push(lookup(random.pick(skus)));
  // Every route at least once with a result of each kind the checks read, and a path no route serves.
  out.push(lookup('widget'), lookup('gadget'), lookup(unknown));
  out.push({ method: 'GET', template: 'unmatched', path: `/${random.token(6)}`, status: 404 });
  return random.shuffle(out);
}

const ROUTES = [
  { method: 'GET', template: '/health' },
  { method: 'GET', template: '/orders/:id' },
  { method: 'POST', template: '/orders' },
  { method: 'GET', template: '/inventory/:sku' },
];

export default {
  exercise: 'D.2',
  live: checkSet(['D.2.every-route-counted', 'D.2.one-series-per-route', 'D.2.business-counters'] as const, async ({ service, random }: LiveContext) => {
    const url = service.baseUrl;
    const script = traffic(random);
    const answers: Array<{ request: Request; answer: Answer }> = [];
    // A few requests at a time, in a shuffled order.
    for (let i = 0; i < script.length; i += 4) {
      await Promise.all(
        script.slice(i, i + 4).map(async (request) => {
          answers.push({ request, answer: await send(url, request.method, request.path, request.body === undefined ? {} : { body: request.body }) });
        }),
      );
    }
    const scrape = await send(url, 'GET', '/metrics');
    const m = await registryFamilies(service);
    const counted = (route: { method: string; template: string }) => {
      const labels = new Set([route.template, ...script.filter((r) => r.template === route.template).map((r) => r.path)]);
      return findSamples(m, 'http_requests_total', { method: route.method }).filter((s) => labels.has(s.labels.endpoint ?? '')).reduce((a, s) => a + s.value, 0);
    };
    const templates = new Set([...ROUTES.map((r) => r.template), 'unmatched']);

    return {
      'D.2.every-route-counted': () => {
        // The shop answers exactly as it did before the fix: the lab's bug is in the metrics.
        const shown = (r: Request) => `${r.method} ${r.path}${r.body === undefined ? '' : ` ${JSON.stringify(r.body)}`}`;
        for (const { request, answer } of answers) {
          const body = parseJson(answer.text) as Record<string, unknown> | undefined;
          const seenBody = request.order && body ? { ...body, id: undefined } : body;
          // (Fastify's own 404 for a path no route serves is judged by its status alone.)
          const same = answer.status === request.status && (request.reply === undefined || JSON.stringify(sorted(seenBody)) === JSON.stringify(sorted(request.reply)));
          expectThat(same, "the shop should answer exactly as before the fix (the lab's bug is in the metrics, not in the answers)", `${shown(request)} → ${request.status} ${JSON.stringify(request.reply)}`, `${answer.status} ${answer.text.slice(0, 200)}`);
        }
        const ids = answers.filter((a) => a.request.order).map((a) => (parseJson(a.answer.text) as { id?: unknown } | undefined)?.id).sort((x, y) => Number(x) - Number(y));
        expectThat(ids.every((id, i) => id === 1000 + i), 'each new order gets the next id, from 1000 up', ids.map((_, i) => 1000 + i).join(', '), ids.join(', '));
        expectThat(scrape.status === 200 && (scrape.headers.get('content-type') ?? '').startsWith('text/plain'), 'GET /metrics answers 200 with the registry in the text format (its content type is the registry\'s own)', '200, content-type text/plain; version=0.0.4', `${scrape.status}, content-type ${scrape.headers.get('content-type') ?? 'none'}`);
        const rows = ROUTES.map((r) => ({ r, want: script.filter((x) => x.method === r.method && x.template === r.template).length, seen: counted(r) }));
        const wrong = rows.filter((x) => x.seen !== x.want);
        expectThat(
          wrong.length === 0,
          `every route's requests should be counted in http_requests_total; these routes' counters did not move as they should (${wrong.map((x) => `${x.r.method} ${x.r.template}`).join(', ')}): a hook only applies to the routes of the plugin scope it was added in`,
          `the requests the grader sent: ${rows.map((x) => `${x.r.method} ${x.r.template}: ${x.want}`).join(', ')}`,
          `${rows.map((x) => `${x.r.method} ${x.r.template}: ${x.seen}`).join(', ')}\n${seenSeries(m, 'http_requests_total')}`,
        );
        return pass(rows.map((x) => `${x.r.method} ${x.r.template}: ${x.seen}`).join(', '));
      },
      'D.2.one-series-per-route': () => {
        const all = findSamples(m, 'http_requests_total');
        expectThat(all.length > 0, 'nothing is counted in http_requests_total at all, so the series cannot be judged yet (get the counting working first)', 'series labelled by route', 'no http_requests_total series');
        const raw = all.filter((s) => !templates.has(s.labels.endpoint ?? ''));
        expectThat(
          raw.length === 0,
          'the endpoint label should be the route template (e.g. "/orders/:id"), so all requests to one route add to one series; a raw URL starts a new series per order id, and a dashboard filtered on the route stays flat',
          `endpoint among ${[...templates].map((t) => `"${t}"`).join(', ')}`,
          raw.slice(0, 6).map((s) => `http_requests_total{method="${s.labels.method}",endpoint="${s.labels.endpoint}",status_code="${s.labels.status_code}"} ${s.value}`).join('\n'),
        );
        return pass(`${all.length} series, all labelled by route template`);
      },
      'D.2.business-counters': () => {
        const orders = findSamples(m, 'orders_created_total')[0]?.value;
        const posted = script.filter((r) => r.order).length;
        expectThat(
          orders === posted,
          `${posted} orders were created (and any refused one was not), so orders_created_total should read ${posted}; a counter that is created again on each request starts from zero every time`,
          `orders_created_total ${posted}`,
          orders === undefined ? 'no orders_created_total on the app\'s registry' : `orders_created_total ${orders}`,
        );
        const want = (result: string) => script.filter((r) => r.lookup === result).length;
        const seen = (result: string) => findSamples(m, 'inventory_lookups_total', { result }).reduce((a, s) => a + s.value, 0);
        const results = ['in_stock', 'out_of_stock', 'unknown'].filter((r) => want(r) > 0 || seen(r) > 0);
        expectThat(
          results.every((r) => seen(r) === want(r)),
          `the ${script.filter((r) => r.lookup).length} stock lookups should be counted in inventory_lookups_total by result, on the registry the service exposes; a metric created without \`registers\` lands on prom-client's global registry, which nobody scrapes`,
          results.map((r) => `inventory_lookups_total{result="${r}"} ${want(r)}`).join(', '),
          findSamples(m, 'inventory_lookups_total').length === 0 ? 'no inventory_lookups_total on the app\'s registry' : seenSeries(m, 'inventory_lookups_total'),
        );
        return pass(`orders_created_total ${orders}; inventory_lookups_total ${results.map((r) => `${r} ${seen(r)}`).join(', ')}`);
      },
    };
  }),
} satisfies ExerciseChecks;

/** A JSON value with its object keys in order and undefined members left out, for comparing. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sorted(v)]));
  }
  return value;
}
