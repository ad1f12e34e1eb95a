// A.3 — choosing a metric type for each value and a pillar for each question. A wrong answer is named
// with why the chosen one cannot fit; the right answer is never told, so the failure still teaches.
import { describe, it } from 'vitest';
import { judgeChoices, type Questions } from './oracles/A.choices.js';
import { metricTypeFor, pillarFor } from '@target/A/choices.js';

type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';
type Pillar = 'metrics' | 'logs' | 'traces';

const METRIC_TYPES: Questions<MetricType> = {
  'requests-served': {
    scenario: 'HTTP requests answered since start',
    right: ['counter'],
    wrong: {
      gauge: 'a gauge is for a value that moves both ways and is read as it is now; this total only grows, and only a series that never goes down (except to 0 on a restart) gives honest per-second rates',
      histogram: 'a histogram sorts observations into buckets by their size; a number of requests is one running total with nothing to sort',
      summary: 'a summary computes quantiles of observed values; a number of requests is one running total, not a distribution',
    },
  },
  'bytes-sent': {
    scenario: 'bytes of response bodies sent since start',
    right: ['counter'],
    wrong: {
      gauge: 'the total never goes down while the process runs; a gauge hides restarts and loses the "only grows" property that per-second rates rely on',
      histogram: 'buckets would say how many responses fell into each size range, a different question; this is one running total of bytes',
      summary: 'quantiles of response sizes answer a different question; this is one running total of bytes',
    },
  },
  'queue-depth': {
    scenario: 'jobs waiting in the queue right now',
    right: ['gauge'],
    wrong: {
      counter: 'a counter can only go up, but the queue shrinks every time a worker takes a job',
      histogram: 'you need one current number, not a distribution of observations sorted into buckets',
      summary: 'quantiles of past observations do not tell you how many jobs are waiting right now',
    },
  },
  'open-connections': {
    scenario: 'client connections open at this moment',
    right: ['gauge'],
    wrong: {
      counter: 'connections close as well as open, so the number goes down, which a counter cannot do',
      histogram: 'this is one current number, not a distribution of observed values',
      summary: 'quantiles of observed values do not give the number open at this moment',
    },
  },
  'fleet-request-latency': {
    scenario: 'request latency, with one p99 over all 12 instances',
    right: ['histogram'],
    wrong: {
      counter: 'a counter holds one running total; a p99 needs the whole distribution of latencies',
      gauge: 'a gauge holds one current value per instance (say, the last latency); no p99 over many requests can be computed from it',
      summary: "a summary computes its quantiles inside each process; twelve p99s cannot be combined into one fleet-wide p99 (their average means nothing)",
    },
  },
  'response-size': {
    scenario: 'how large response bodies are, across instances',
    right: ['histogram'],
    wrong: {
      counter: 'a counter gives one total of bytes, not how many responses were under 1 KB, under 10 KB, ...',
      gauge: 'a gauge keeps one current value (say, the last response size), not how the sizes are spread',
      summary: 'a summary gives quantiles computed per process: they cannot be added up across instances, and it keeps no "how many under 1 KB" counts',
    },
  },
  'single-process-gc-quantile': {
    scenario: 'p99 of GC pauses over the last 10 minutes, per process only, no bucket bounds chosen in advance',
    right: ['summary'],
    wrong: {
      counter: 'a counter is one running total; it cannot give a quantile of pause lengths',
      gauge: 'a gauge holds one value that you set; it does not collect the pauses, so nothing would compute their p99',
      histogram: 'a histogram needs its bucket bounds chosen in advance, and its quantiles are only estimated from those buckets; the scenario rules that out',
    },
  },
  'cpu-temperature': {
    scenario: 'CPU temperature, read every few seconds',
    right: ['gauge'],
    wrong: {
      counter: 'a temperature falls as well as rises; a counter can only go up',
      histogram: 'you want the current reading, not counts of readings per range',
      summary: 'quantiles of past readings answer a different question; what you need is the reading now',
    },
  },
};

const PILLARS: Questions<Pillar> = {
  'error-rate-last-minute': {
    scenario: 'what share of requests failed in the last minute?',
    right: ['metrics'],
    wrong: {
      logs: 'you would have to find and count every request line of that minute, slow and costly at scale; the question is a rate over time, not one event',
      traces: 'traces are usually sampled, so they cannot give the exact share of all requests, and they are not built for rates',
    },
  },
  'why-request-abc123-failed': {
    scenario: 'why did request abc123 get a 500 at 10:03:21?',
    right: ['logs'],
    wrong: {
      metrics: 'metrics only count the failure; they keep no request id and no error message for one request',
      traces: "a trace shows where a request spent its time, not the error message and the input that explain the 500 (and that request's trace may not even have been sampled)",
    },
  },
  'slow-request-across-services': {
    scenario: 'a checkout through three services took 4 s: where did the time go?',
    right: ['traces'],
    wrong: {
      metrics: 'metrics add up many requests: they cannot follow this one checkout through three services',
      logs: 'each service writes its own lines; piecing together the timing of one request across three services from them is guesswork',
    },
  },
  'memory-alert': {
    scenario: 'page someone when memory stays above 90 % for ten minutes',
    right: ['metrics'],
    wrong: {
      logs: 'an alert like this needs a number sampled every few seconds and evaluated continuously; log lines are events, not a memory reading',
      traces: 'traces describe requests, not the memory of a process over ten minutes',
    },
  },
  'stack-trace-of-crash': {
    scenario: 'which exception, with which stack trace, crashed the worker at 02:14?',
    right: ['logs'],
    wrong: {
      metrics: 'a metric can count crashes, but it cannot hold an exception message or a stack trace',
      traces: 'a trace records the timed steps of a request; the exception and stack trace of a crashed worker are not a timing',
    },
  },
  'database-calls-per-page': {
    scenario: 'does one page load call the database once or once per item, and how long does each call take?',
    right: ['traces'],
    wrong: {
      metrics: 'metrics add up many requests: they show database calls per second, not how many calls one page load made and how long each took',
      logs: 'per-call lines could be matched up by request id, but you would rebuild by hand the order and timing of every call inside that one request',
    },
  },
};

describe('A.3.metric-types', () => {
  it('each scenario in metricTypeFor has the metric type its value needs', () => {
    const problem = judgeChoices('metricTypeFor', metricTypeFor, METRIC_TYPES, ['counter', 'gauge', 'histogram', 'summary']);
    if (problem) throw new Error(problem);
  });
});

describe('A.3.pillars', () => {
  it('each question in pillarFor goes to the pillar that answers it', () => {
    const problem = judgeChoices('pillarFor', pillarFor, PILLARS, ['metrics', 'logs', 'traces']);
    if (problem) throw new Error(problem);
  });
});
