// A.3 — choosing a metric type for each value and a pillar for each question. A wrong answer is
// shown with the reason for the right one, so the failure message teaches.
import { describe, expect, it } from 'vitest';
import { metricTypeFor, pillarFor } from '@target/A/choices.js';

interface Answer {
  scenario: string;
  right: string;
  why: string;
}

const METRIC_TYPES: Record<string, Answer> = {
  'requests-served': {
    scenario: 'HTTP requests answered since start',
    right: 'counter',
    why: 'a count of events only ever goes up (it resets to 0 on restart); rate() turns a counter into requests per second',
  },
  'bytes-sent': {
    scenario: 'bytes of response bodies sent since start',
    right: 'counter',
    why: 'a running total that only grows: a counter, and rate() gives bytes per second',
  },
  'queue-depth': {
    scenario: 'jobs waiting in the queue right now',
    right: 'gauge',
    why: 'it goes up and down, and what matters is its current value: a gauge',
  },
  'open-connections': {
    scenario: 'client connections open at this moment',
    right: 'gauge',
    why: 'connections open and close, so the number moves both ways: a gauge',
  },
  'fleet-request-latency': {
    scenario: 'request latency, with one p99 over all 12 instances',
    right: 'histogram',
    why: 'bucket counts from every instance can be added up and histogram_quantile() computes the p99 over the sum; quantiles computed in each process (a summary) cannot be averaged into a fleet-wide p99',
  },
  'response-size': {
    scenario: 'how large response bodies are, across instances',
    right: 'histogram',
    why: 'it is a distribution (how many under 1 KB, under 10 KB, ...) that you want to sum across instances: a histogram with size buckets',
  },
  'single-process-gc-quantile': {
    scenario: 'a precise p99 of GC pauses, looked at per process only',
    right: 'summary',
    why: 'a summary computes exact quantiles inside the process, without choosing buckets; that is fine when you never need to aggregate them across instances',
  },
  'cpu-temperature': {
    scenario: 'CPU temperature, read every few seconds',
    right: 'gauge',
    why: 'a measurement that rises and falls; only its current value makes sense: a gauge',
  },
};

const PILLARS: Record<string, Answer> = {
  'error-rate-last-minute': {
    scenario: 'what share of requests failed in the last minute?',
    right: 'metrics',
    why: 'a number aggregated over time is what metrics are for: rate(errors) / rate(requests), cheap to store and to alert on',
  },
  'why-request-abc123-failed': {
    scenario: 'why did request abc123 get a 500 at 10:03:21?',
    right: 'logs',
    why: 'one specific event and its details (the error message, the input, the request id) live in the log lines; metrics only count it',
  },
  'slow-request-across-services': {
    scenario: 'a checkout through three services took 4 s: where did the time go?',
    right: 'traces',
    why: 'a trace follows one request across services, with a timed span per hop, so it shows which service spent the 4 s',
  },
  'memory-alert': {
    scenario: 'page someone when memory stays above 90 % for ten minutes',
    right: 'metrics',
    why: 'alerts are rules over numeric series (a gauge of memory use over a "for: 10m" window): metrics',
  },
  'stack-trace-of-crash': {
    scenario: 'which exception, with which stack trace, crashed the worker at 02:14?',
    right: 'logs',
    why: 'the exception and its stack trace are text recorded with the event: a (structured) log line',
  },
  'database-calls-per-page': {
    scenario: 'does one page load call the database once or once per item, and how long does each call take?',
    right: 'traces',
    why: 'the trace of that one request has a child span for every database call, with its timing: N+1 queries show up as a ladder of spans',
  },
};

function wrongAnswers(given: Record<string, unknown>, expected: Record<string, Answer>, table: string): string[] {
  const wrong: string[] = [];
  for (const [id, answer] of Object.entries(expected)) {
    const seen = given[id];
    if (seen === answer.right) continue;
    if (seen === 'TODO' || seen === undefined) {
      // an unanswered entry gets no answer handed over: the explanation comes with a wrong choice
      wrong.push(`${table}['${id}'] (${answer.scenario}): not answered yet (${seen === undefined ? 'missing' : "still 'TODO'"}).`);
    } else {
      wrong.push(`${table}['${id}'] (${answer.scenario}): you chose ${JSON.stringify(seen)}, but it is '${answer.right}': ${answer.why}.`);
    }
  }
  return wrong;
}

describe('A.3.metric-types', () => {
  it('each scenario in metricTypeFor has the metric type its value needs', () => {
    const wrong = wrongAnswers(metricTypeFor, METRIC_TYPES, 'metricTypeFor');
    if (wrong.length > 0) {
      expect.fail(`${wrong.length} of ${Object.keys(METRIC_TYPES).length} metric types are not right yet:\n- ${wrong.join('\n- ')}`);
    }
  });
});

describe('A.3.pillars', () => {
  it('each question in pillarFor goes to the pillar that answers it', () => {
    const wrong = wrongAnswers(pillarFor, PILLARS, 'pillarFor');
    if (wrong.length > 0) {
      expect.fail(`${wrong.length} of ${Object.keys(PILLARS).length} pillars are not right yet:\n- ${wrong.join('\n- ')}`);
    }
  });
});
