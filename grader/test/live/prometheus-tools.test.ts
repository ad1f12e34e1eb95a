// The real Prometheus tools where installed, and an honest "checked without Prometheus" where not.
import { afterEach, describe, expect, it } from 'vitest';
import { checkMetrics, isDefaultFamily, learnerFamiliesText, promtoolPath } from '../../live/prometheus-tools.js';
import { gradeVariant } from '../helpers/submission.js';

const realPromtool = promtoolPath();
const saved = process.env.PROMTOOL_BIN;
afterEach(() => {
  if (saved === undefined) delete process.env.PROMTOOL_BIN;
  else process.env.PROMTOOL_BIN = saved;
});

const SAMPLE = `# HELP nodejs_active_handles_total Number of active libuv handles.
# TYPE nodejs_active_handles_total gauge
nodejs_active_handles_total 3
# HELP requests Requests
# TYPE requests counter
requests 1
# HELP http_request_duration_seconds Latency
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="+Inf"} 1
http_request_duration_seconds_sum 0.1
http_request_duration_seconds_count 1
`;

describe('learnerFamiliesText', () => {
  it("keeps the learner's families and drops prom-client's defaults", () => {
    const kept = learnerFamiliesText(SAMPLE);
    expect(kept).not.toContain('nodejs_active_handles_total');
    expect(kept).toContain('requests 1');
    expect(kept).toContain('http_request_duration_seconds_count 1');
    expect(isDefaultFamily('process_cpu_seconds_total')).toBe(true);
    expect(isDefaultFamily('http_requests_total')).toBe(false);
  });
});

describe('without Prometheus', () => {
  it('B.5 exposition is checked by the strict parser and says so', async () => {
    process.env.PROMTOOL_BIN = '/nonexistent/promtool';
    expect(promtoolPath()).toBeUndefined();
    const { report } = await gradeVariant({}, ['B.5']);
    const c = report.sections[0]!.criteria.find((x) => x.id === 'B.5.valid-exposition')!;
    expect(c.status).toBe('pass');
    expect(c.note).toMatch(/checked without Prometheus/);
    expect(report.prometheus.promtool).toBe(false);
  });
});

describe.skipIf(!realPromtool)('with promtool installed (skipped where Prometheus is not installed)', () => {
  it('promtool check metrics flags a counter without _total and passes a clean family', async () => {
    const bad = await checkMetrics(realPromtool!, learnerFamiliesText(SAMPLE));
    expect(bad.ok).toBe(false);
    expect(bad.problems.join('\n')).toMatch(/requests counter metrics should have "_total" suffix/);
    const good = await checkMetrics(realPromtool!, '# HELP requests_total Requests\n# TYPE requests_total counter\nrequests_total 1\n');
    expect(good).toEqual({ ok: true, problems: [] });
  });

  it('B.5 exposition is checked by promtool and says so', async () => {
    const { report } = await gradeVariant({}, ['B.5']);
    const c = report.sections[0]!.criteria.find((x) => x.id === 'B.5.valid-exposition')!;
    expect(c.status).toBe('pass');
    expect(c.message).toMatch(/promtool check metrics is clean/);
    expect(report.prometheus.promtool).toBe(true);
  });
});
