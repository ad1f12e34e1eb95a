// D.2 metrics not updating: the request hook lives inside one encapsulated plugin and labels by raw
// URL, one counter is re-created on every request, another sits on prom-client's global registry.
// Traffic (how many requests per route, which ids, items and stock keeping units, in what order)
// varies per run; every count is checked against what the grader sent.
import { findSamples } from '../live/exposition.js';
import { send, type Answer } from '../live/http.js';
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
  lookup?: 'in_stock' | 'out_of_stock' | 'unknown';
  order?: boolean;
}

function traffic(random: Random): Request[] {
  const out: Request[] = [];
  for (let i = random.int(2, 5); i > 0; i--) out.push({ method: 'GET', template: '/health', path: '/health', status: 200 });
  for (let i = random.int(3, 7); i > 0; i--) out.push({ method: 'GET', template: '/orders/:id', path: `/orders/${random.int(1, 99_999)}`, status: 200 });
  for (let i = random.int(2, 6); i > 0; i--) {
    const body = { item: random.pick(['widget', 'gadget', 'gizmo', `part-${random.token(4)}`]), quantity: random.int(1, 40) };
    out.push({ method: 'POST', template: '/orders', path: '/orders', body, status: 201, order: true });
  }
  // Sometimes an order the service refuses (422): requested, counted as a request, not an order.
  if (random.next() < 0.5) out.push({ method: 'POST', template: '/orders', path: '/orders', body: { item: 'widget', quantity: 0 }, status: 422 });
  const skus = [...Object.keys(STOCK), ...(random.next() < 0.5 ? [`sku-${random.token(5)}`] : [])];
  for (let i = random.int(3, 7); i > 0; i--) {
    const sku = random.pick(skus);
    const stock = STOCK[sku];
    out.push({ method: 'GET', template: '/inventory/:sku', path: `/inventory/${sku}`, status: stock === undefined ? 404 : 200, lookup: stock === undefined ? 'unknown' : stock > 0 ? 'in_stock' : 'out_of_stock' });
  }
  // Every route at least once with a result of each kind the checks read.
  out.push({ method: 'GET', template: '/inventory/:sku', path: '/inventory/widget', status: 200, lookup: 'in_stock' });
  out.push({ method: 'GET', template: '/inventory/:sku', path: '/inventory/gadget', status: 200, lookup: 'out_of_stock' });
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
    const m = await registryFamilies(service);
    const counted = (route: { method: string; template: string }) => {
      const labels = new Set([route.template, ...script.filter((r) => r.template === route.template).map((r) => r.path)]);
      return findSamples(m, 'http_requests_total', { method: route.method }).filter((s) => labels.has(s.labels.endpoint ?? '')).reduce((a, s) => a + s.value, 0);
    };
    const templates = new Set([...ROUTES.map((r) => r.template), 'unmatched']);

    return {
      'D.2.every-route-counted': () => {
        const bad = answers.filter((a) => a.answer.status !== a.request.status);
        expectThat(bad.length === 0, 'the routes should answer as given (the lab\'s bug is in the metrics, not the answers)', bad.map((a) => `${a.request.method} ${a.request.path}: ${a.request.status}`).join(', '), bad.map((a) => `${a.request.method} ${a.request.path}: ${a.answer.status}`).join(', '));
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
