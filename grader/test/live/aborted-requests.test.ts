// Clients that hang up mid-request: on the reference service, 20 of them leave the in-flight gauge
// at 0 and are counted (status_code "499") and timed, like every other request.
import { connect } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hangUpMidway } from '../../checks/B.3.js';
import { findSamples, parseExposition, sampleValue } from '../../live/exposition.js';
import { ServiceProcess } from '../../live/service.js';
import { sleep } from '../../live/sleep.js';
import { PROJECT_ROOT } from '../../paths.js';
import { processesMentioning } from '../helpers/processes.js';

const APP = path.join(PROJECT_ROOT, 'solutions/B/app.ts');

/** Sends POST /predict with half its body, then hangs up. */
function hangUpDuringBody(port: number, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('connect', () => {
      socket.write(`POST /predict HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"features": [1, 2`);
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, afterMs);
    });
  });
}

describe('aborted requests on the reference service', () => {
  it('20 clients that hang up leave the in-flight gauge at 0 and are each counted and timed once', async () => {
    const service = await new ServiceProcess(APP).start();
    try {
      const slowMs = 400;
      const gone = await Promise.all(Array.from({ length: 20 }, (_, i) => hangUpMidway(service.port, `/work?ms=${slowMs}`, 20 + (i % 5) * 10)));
      expect(gone.filter((g) => g.abandoned).length, 'every request was taken and hung up on before its answer').toBe(20);

      // Soon after the hang-ups the requests are over (on a loaded machine the abort events take a moment).
      let during: number | undefined;
      for (const end = Date.now() + 3000; Date.now() < end; await sleep(20)) {
        during = sampleValue(parseExposition(await service.scrapeRegistry()), 'http_requests_in_flight', {});
        if (during === 0) break;
      }
      expect(during).toBe(0);

      // Once the handlers have finished too, nothing more is recorded for them.
      await sleep(slowMs);
      const m = parseExposition(await service.scrapeRegistry());
      expect(sampleValue(m, 'http_requests_in_flight', {})).toBe(0);
      expect(findSamples(m, 'http_requests_total').map((s) => [s.labels, s.value])).toEqual([[{ method: 'GET', endpoint: '/work', status_code: '499' }, 20]]);
      expect(sampleValue(m, 'http_request_duration_seconds_count', { method: 'GET', endpoint: '/work' })).toBe(20);
      const sum = sampleValue(m, 'http_request_duration_seconds_sum', { method: 'GET', endpoint: '/work' }) ?? 0;
      const heldOn = gone.reduce((a, g) => a + (g.hungUpAt - g.takenAt), 0) / 1000;
      expect(sum, 'each lasted about as long as its client held on, in seconds').toBeGreaterThan(heldOn * 0.8);
      expect(sum).toBeLessThan(20 * (slowMs / 1000));
    } finally {
      service.stop();
    }
    await sleep(100);
    expect(processesMentioning(APP)).toEqual([]);
  });

  it('the production service (E) counts and times them too, as status_code "499"', async () => {
    const app = path.join(PROJECT_ROOT, 'solutions/E/app.ts');
    const service = await new ServiceProcess(app).start();
    try {
      // E has no slow route: a body that never finishes keeps POST /predict waiting until the hang-up.
      await Promise.all(Array.from({ length: 20 }, (_, i) => hangUpDuringBody(service.port, 30 + (i % 5) * 10)));
      let counted = 0;
      for (const end = Date.now() + 3000; Date.now() < end && counted < 20; await sleep(20)) {
        counted = sampleValue(parseExposition(await service.scrapeRegistry()), 'http_requests_total', { method: 'POST', endpoint: '/predict', status_code: '499' }) ?? 0;
      }
      expect(counted).toBe(20);
    } finally {
      service.stop();
    }
  });
});
