// B.5's live checks: GET /metrics (status, content type, valid exposition text), and the course's
// traffic script, sent in an order from the seed with a few extra requests whose number only this
// run knows, so that counts can only be right if they were counted.
import { findSamples, parseExposition, sumSamples, type MetricFamily, type Sample } from '../live/exposition.js';
import { send } from '../live/http.js';
import { checkMetrics, learnerFamiliesText } from '../live/prometheus-tools.js';
import { pass } from '../report/results.js';
import { checkSet, expectThat, expectValue, registryFamilies, seenSeries, type ExerciseChecks, type LiveContext } from './kit.js';

/** A sample as one line, its labels in name order (so the order they are printed in does not matter). */
const line = (s: Sample) => `${s.name}{${Object.entries(s.labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}="${v}"`).join(',')}} ${s.value}`;

export default {
  exercise: 'B.5',
  live: checkSet(['B.5.content-type', 'B.5.valid-exposition', 'B.5.syllabus-traffic'] as const, async ({ service, promtool, random: r }: LiveContext) => {
    const url = service.baseUrl;
    const unknownPath = `/${r.pick(['no-such-page', 'nonexistent', 'missing'])}-${r.token(5)}`;
    const extraItems = Array.from({ length: r.int(1, 4) }, () => `/items/${r.int(1, 9999)}`);
    // The syllabus script (20 × /health, 20 × a valid prediction, one empty one, one unknown path),
    // shuffled, with the extra /items requests mixed in.
    const script = r.shuffle([
      ...Array.from({ length: 20 }, () => ['GET', '/health'] as const),
      ...Array.from({ length: 20 }, () => ['POST', '/predict', { features: [1.0, 2.0, 3.0] }] as const),
      ['POST', '/predict', { features: [] }] as const,
      ['GET', unknownPath] as const,
      ...extraItems.map((p) => ['GET', p] as const),
    ]);
    for (const [method, path, body] of script) await send(url, method, path, body === undefined ? {} : { body });
    const page = await send(url, 'GET', '/metrics');
    const registry = await registryFamilies(service);
    const type = page.headers.get('content-type') ?? '';
    const served = () => {
      expectThat(page.status === 200, 'GET /metrics should answer 200 with the registry\'s text', '200', `${page.status} ${page.text.slice(0, 120)}`);
      expectThat(page.text.includes('# TYPE http_requests_total counter'), 'the page should be the service\'s registry', 'a page with http_requests_total', page.text.slice(0, 200));
    };
    let onPage: Map<string, MetricFamily> | undefined;
    try {
      onPage = parseExposition(page.text);
    } catch {
      onPage = undefined; // judged by B.5.valid-exposition, not twice
    }

    return {
      'B.5.content-type': () => {
        served();
        expectThat(type.startsWith('text/plain') && type.includes('version=0.0.4'), 'Prometheus reads the text format by its content type', 'text/plain; version=0.0.4; charset=utf-8', type || '(none)');
        return pass();
      },
      'B.5.valid-exposition': async () => {
        served();
        parseExposition(page.text);
        if (!promtool) return pass('valid by the strict exposition parser', 'checked without Prometheus: promtool is not installed');
        const lint = await checkMetrics(promtool, learnerFamiliesText(page.text));
        expectThat(lint.ok, 'promtool check metrics found problems in your metric families', 'no problems', lint.problems.join('\n'));
        return pass('valid; promtool check metrics is clean');
      },
      'B.5.syllabus-traffic': () => {
        served();
        const m = registry;
        expectValue(m, 'http_requests_total', { method: 'GET', endpoint: '/health', status_code: '200' }, 20, '20 × GET /health');
        expectValue(m, 'http_requests_total', { method: 'POST', endpoint: '/predict', status_code: '201' }, 20, '20 × valid POST /predict');
        expectValue(m, 'http_requests_total', { method: 'POST', endpoint: '/predict', status_code: '422' }, 1, '1 × POST /predict with empty features');
        const notFound = sumSamples(m, 'http_requests_total', { status_code: '404' });
        expectThat(notFound === 1, `1 × GET ${unknownPath}`, 'a total of 1 with status_code="404"', seenSeries(m, 'http_requests_total'));
        expectValue(m, 'predictions_total', { model_version: 'v1.0' }, 20, '20 successful predictions');
        expectValue(m, 'http_requests_total', { method: 'GET', endpoint: '/items/:id', status_code: '200' }, extraItems.length, `besides the script, this run also sent ${extraItems.length} × GET /items/<id> (${extraItems.join(', ')})`);
        // The page is what Prometheus reads: it must say what the registry says (nothing was sent in between).
        if (onPage) {
          for (const name of ['http_requests_total', 'predictions_total']) {
            const want = findSamples(m, name).map(line).sort();
            const seen = findSamples(onPage, name).map(line).sort();
            expectThat(want.join('\n') === seen.join('\n'), `GET /metrics should serve the registry the service counts in, as it is now (one registry, made once when the app is built)`, want.join('\n') || `no ${name} samples`, seen.join('\n') || `no ${name} samples on the page`);
          }
        }
        return pass(`20 / 20 / 1 / 1, 20 predictions, and ${extraItems.length} extra requests`);
      },
    };
  }),
} satisfies ExerciseChecks;
